// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Whether this build runs under AddressSanitizer: GCC says __SANITIZE_ADDRESS__, clang
// __has_feature(address_sanitizer). Memory bounds measured as RSS mean little there (the quarantine keeps
// freed blocks resident), so tests measure the live heap instead or only print the figure.
#if defined(__SANITIZE_ADDRESS__)
#define CODALAB_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CODALAB_ASAN 1
#endif
#endif

namespace codalab::test {
#ifdef CODALAB_ASAN
inline constexpr bool UnderAddressSanitizer = true;
#else
inline constexpr bool UnderAddressSanitizer = false;
#endif
} // namespace codalab::test
