// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace codalab::util {

/// Bundle and worksheet UUIDs as CodaLab writes them: "0x" and 32 lowercase hex digits
/// (codalab/lib/spec_util.py, UUID_STR and generate_uuid).
class BundleUuid
{
public:
    BundleUuid() = delete;

    /// A new random (version 4) UUID, "0x" + 32 lowercase hex digits, like upstream's uuid4().hex.
    static QString generate();
    /// ^0x[0-9a-f]{32}$: exactly a UUID. Upper-case hex is refused, as upstream's regex refuses it.
    static bool isValid(const QString &text);
    /// ^0x[0-9a-f]{1,32}$: what a user may type to name a bundle by the start of its UUID. Upstream's
    /// UUID_PREFIX_REGEX stops at 31 digits because it tries the full UUID first; a full UUID is also
    /// accepted here, so a caller can test one pattern.
    static bool isPrefix(const QString &text);
    /// "0x" and the first 8 digits, as upstream's CLI and worker log name a bundle (uuid[0:10]).
    static QString shortForm(const QString &uuid) { return uuid.left(10); }
};

} // namespace codalab::util
