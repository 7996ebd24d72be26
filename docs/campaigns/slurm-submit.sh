#!/bin/bash
# Submits an acdsim campaign as a Slurm job array of N shards and a merge job that
# runs when every shard succeeded (docs/campaigns.md). Prints the two job ids.
#   slurm-submit.sh N whatif SCENARIO --sweep load=0.3,1 ... -- --csv table.csv --svg plot.svg -o report.txt
# Before "--": the command and its options (as for one unsplit run); after: merge's outputs.
# Environment: ACDSIM (the binary, default acdsim), ACDSIM_SHARDS (default shards),
# SBATCH_WAIT=1 waits for the merge job and exits with its exit code.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
n=$1; shift
campaign=()
while (($#)) && [[ $1 != -- ]]; do campaign+=("$1"); shift; done
(($#)) && shift  # the "--"
array=$(sbatch --parsable --array=0-$((n - 1)) "$here/shard.sbatch" "${campaign[@]}")
array=${array%%;*}  # "jobid;cluster" on a federation
echo "shards: job array $array" >&2
wait=()
[[ ${SBATCH_WAIT:-0} == 1 ]] && wait=(--wait)
sbatch --parsable "${wait[@]}" --dependency=afterok:"$array" --kill-on-invalid-dep=yes "$here/merge.sbatch" "$@"
