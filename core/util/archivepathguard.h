// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QSet>
#include <QString>

#include <optional>

namespace codalab::util {

/// A member that may be extracted, its names normalised: no "./", no empty components, no trailing "/".
struct AdmittedMember
{
    QByteArray path; ///< relative to the target directory; empty for the archive's root ("./")
    QByteArray hardLinkTarget; ///< relative to the target directory; empty unless a hard link
};

/// Decides, member by member and in archive order, whether a tar member may be extracted into a
/// directory without anything landing outside it. It looks at names only (SafeArchive does the writing,
/// the limits and libarchive's own checks), and keeps what earlier members were, since a hard link is
/// only as safe as what it links to.
///
/// Refused: absolute names; any ".." component; devices, FIFOs, sockets; symlinks with an absolute or
/// empty target, or whose target climbs (leading "..") above the target directory from the link's own
/// directory, or has ".." after a name ("a/../.." could climb through another symlink, so it is not
/// resolved by text); hard links to anything but a regular file extracted earlier in the same archive
/// (linking to a symlink would move that symlink's relative target to a new directory).
class ArchivePathGuard
{
public:
    /// `fileType` is the S_IFMT part of the member's mode; `hardLinkTarget` is non-empty for hard links.
    /// On refusal returns nullopt and sets `error` to a message that names the member.
    std::optional<AdmittedMember> admit(const QByteArray &path, quint32 fileType,
        const QByteArray &symlinkTarget, const QByteArray &hardLinkTarget, QString *error);

private:
    QSet<QByteArray> m_regularFiles; // what hard links may point at
};

} // namespace codalab::util
