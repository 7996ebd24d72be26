// MD5 (RFC 1321), only because Pacemaker's CIB names each operation's parameters by their MD5
// (op-digest): a CIB whose history lacks the right digest makes the scheduler restart every
// resource "due to resource definition change". Not for anything that needs a secure hash.
#pragma once
#include <string>
#include <string_view>

namespace acdsim::model {

// Lower-case hex digest of bytes.
std::string md5_hex(std::string_view bytes);

}  // namespace acdsim::model
