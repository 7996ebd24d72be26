#include "md5.hpp"

#include <array>
#include <cmath>
#include <cstdint>

namespace acdsim::model {
namespace {

// Per-round shift amounts and the sine-derived constants of RFC 1321 section 3.4.
constexpr std::array<std::uint32_t, 16> kShift{7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21};

std::array<std::uint32_t, 64> sine_table() {
  std::array<std::uint32_t, 64> t{};
  for (std::size_t i = 0; i < 64; ++i)
    t[i] = static_cast<std::uint32_t>(std::floor(std::fabs(std::sin(static_cast<double>(i + 1))) * 4294967296.0));
  return t;
}

std::uint32_t rotl(std::uint32_t x, std::uint32_t c) { return (x << c) | (x >> (32 - c)); }

}  // namespace

std::string md5_hex(std::string_view bytes) {
  static const std::array<std::uint32_t, 64> k = sine_table();
  std::uint32_t a0 = 0x67452301, b0 = 0xefcdab89, c0 = 0x98badcfe, d0 = 0x10325476;
  std::string msg(bytes);
  const std::uint64_t bit_length = static_cast<std::uint64_t>(bytes.size()) * 8;
  msg.push_back(static_cast<char>(0x80));
  while (msg.size() % 64 != 56) msg.push_back('\0');
  for (int i = 0; i < 8; ++i) msg.push_back(static_cast<char>((bit_length >> (8 * i)) & 0xff));
  for (std::size_t chunk = 0; chunk < msg.size(); chunk += 64) {
    std::array<std::uint32_t, 16> m{};
    for (std::size_t i = 0; i < 16; ++i)
      for (std::size_t b = 0; b < 4; ++b)
        m[i] |= static_cast<std::uint32_t>(static_cast<unsigned char>(msg[chunk + i * 4 + b])) << (8 * b);
    std::uint32_t a = a0, b = b0, c = c0, d = d0;
    for (std::uint32_t i = 0; i < 64; ++i) {
      std::uint32_t f, g;
      if (i < 16) f = (b & c) | (~b & d), g = i;
      else if (i < 32) f = (d & b) | (~d & c), g = (5 * i + 1) % 16;
      else if (i < 48) f = b ^ c ^ d, g = (3 * i + 5) % 16;
      else f = c ^ (b | ~d), g = (7 * i) % 16;
      f += a + k[i] + m[g];
      a = d;
      d = c;
      c = b;
      b += rotl(f, kShift[(i / 16) * 4 + i % 4]);
    }
    a0 += a, b0 += b, c0 += c, d0 += d;
  }
  static const char* const hex = "0123456789abcdef";
  std::string out;
  for (std::uint32_t word : {a0, b0, c0, d0})
    for (int i = 0; i < 4; ++i) {
      const auto byte = (word >> (8 * i)) & 0xff;
      out.push_back(hex[byte >> 4]);
      out.push_back(hex[byte & 0xf]);
    }
  return out;
}

}  // namespace acdsim::model
