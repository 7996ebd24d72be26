// Outputs and scratch files: symlinks refused unless asked, never written over
// an input of the same run, scratch directories private and removed on signals.
#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "acdsim/model/input_file.hpp"
#include "acdsim/model/output.hpp"
#include "acdsim/model/scratch.hpp"

namespace fs = std::filesystem;
using namespace acdsim::model;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    std::string templ = (fs::temp_directory_path() / "acdsim-output-test.XXXXXX").string();
    path = ::mkdtemp(templ.data());
  }
  ~TempDir() { fs::remove_all(path); }
};

std::string content_of(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string error_of(const std::string& path, const std::string& text, const WriteOptions& o = {}) {
  try {
    write_file_atomically(path, text, o);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(OutputFiles, SymlinkAtTheOutputPathIsRefusedAndKept) {
  TempDir d;
  const fs::path target = d.path / "target.txt", link = d.path / "link.txt";
  { std::ofstream(target) << "before"; }
  fs::create_symlink(target, link);
  EXPECT_NE(error_of(link.string(), "after").find("it is a symlink; refusing to write through it"), std::string::npos);
  EXPECT_TRUE(fs::is_symlink(link));
  EXPECT_EQ(content_of(target), "before");
}

TEST(OutputFiles, FollowSymlinkReplacesTheTargetAndKeepsTheLink) {
  TempDir d;
  const fs::path link = d.path / "link.txt";
  fs::create_symlink("target.txt", link);  // relative and dangling: the target is created beside it
  EXPECT_EQ(error_of(link.string(), "after", WriteOptions{true}), "");
  EXPECT_TRUE(fs::is_symlink(link));
  EXPECT_EQ(content_of(d.path / "target.txt"), "after");
}

TEST(OutputFiles, AnInputOfThisRunIsNeverWrittenOver) {
  TempDir d;
  const fs::path input = d.path / "in.json", hard = d.path / "hard.json";
  { std::ofstream(input) << "{}"; }
  fs::create_hard_link(input, hard);
  (void)read_input_file(input.string());
  EXPECT_NE(error_of(input.string(), "x").find("it is an input of this run"), std::string::npos);
  EXPECT_NE(error_of(hard.string(), "x").find("it is an input of this run"), std::string::npos);  // same inode
  EXPECT_EQ(content_of(input), "{}");
  EXPECT_EQ(error_of((d.path / "other.json").string(), "x"), "");
}

TEST(OutputFiles, NulByteInInputIsLocated) {
  TempDir d;
  const fs::path p = d.path / "nul.json";
  {
    std::ofstream out(p, std::ios::binary);
    out << "{\"format\": \"acdsim-topology/1\"}\n";
    out.put('\0');
    out << "{{{";
  }
  try {
    (void)declared_format(p.string());
    FAIL() << "a NUL byte was ignored";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("nul.json:2: a NUL byte at line 2, column 1"), std::string::npos) << e.what();
  }
}

TEST(ScratchDirectory, PrivateUniqueAndRemoved) {
  std::string dir, file;
  {
    ScratchDirectory a("acdsim-scratch-test"), b("acdsim-scratch-test");
    dir = a.path();
    EXPECT_NE(a.path(), b.path());
    struct stat st {};
    ASSERT_EQ(::stat(dir.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0700u);
    file = a.write("x.json", "{}");
    EXPECT_EQ(content_of(file), "{}");
    EXPECT_THROW(a.write("x.json", "again"), std::runtime_error);  // O_EXCL
    EXPECT_THROW(a.write("../escape", ""), std::invalid_argument);
  }
  EXPECT_FALSE(fs::exists(file));
  EXPECT_FALSE(fs::exists(dir));
}

TEST(ScratchDirectory, RemovedWhenTheProcessIsKilledBySigterm) {
  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(pipe_fds[0]);
    ScratchDirectory scratch("acdsim-scratch-signal-test");
    const std::string file = scratch.write("f.json", "{}");
    const std::string paths = scratch.path() + "\n" + file + "\n";
    if (::write(pipe_fds[1], paths.data(), paths.size()) < 0) ::_exit(3);
    ::raise(SIGTERM);
    ::_exit(0);  // not reached: SIGTERM's default action ends the process
  }
  ::close(pipe_fds[1]);
  std::string paths;
  char buffer[4096];
  for (ssize_t n; (n = ::read(pipe_fds[0], buffer, sizeof buffer)) > 0;) paths.append(buffer, static_cast<std::size_t>(n));
  ::close(pipe_fds[0]);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM) << "status " << status;
  std::istringstream lines(paths);
  std::string dir, file;
  std::getline(lines, dir);
  std::getline(lines, file);
  ASSERT_FALSE(dir.empty());
  EXPECT_FALSE(fs::exists(file)) << file;
  EXPECT_FALSE(fs::exists(dir)) << dir;
}
