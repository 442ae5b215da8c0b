// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QtGlobal>

namespace codalab::worker {

/// The file-system side of the control socket: the unix socket file at a path, made so that no other user
/// ever gets a window to connect, and removed again only while it is still the one made here.
///
/// Usage: construct it with an absolute path, call create() for a listening descriptor (hand it to
/// QLocalServer::listen(qintptr)), and remove() or destroy it when done. create() makes the parent
/// directories (0700) if missing; a stale socket file (nobody answers) is replaced, while a live one
/// (another process listens) or a file that is not a socket is left alone and reported.
///
/// Safety: the socket is bound inside a fresh private 0700 directory beside the path, chmod'ed to 0600,
/// and then hard-linked into place; link() never replaces a file, so one that appears meanwhile is not
/// touched. The device and inode of the file made are remembered, so remove() leaves alone a file another
/// process put at the path since.
class ControlSocketFile
{
public:
    /// The longest path a unix socket address holds (sun_path less its terminating NUL).
    static constexpr qsizetype MaxPathBytes = 107;

    explicit ControlSocketFile(QString path);
    /// Removes the socket file if it is still ours.
    ~ControlSocketFile();
    ControlSocketFile(const ControlSocketFile &) = delete;
    ControlSocketFile &operator=(const ControlSocketFile &) = delete;

    /// A listening socket (with `backlog`) whose file is at path(), or -1 with *error saying why. The
    /// caller owns the descriptor; the file is ours until remove().
    int create(int backlog, QString *error);
    /// Unlinks the file create() made, unless it has been replaced since; does nothing the second time.
    void remove();
    QString path() const { return m_path; }

private:
    QString m_path;
    /// The socket file we made, so removal never takes one another process put there since.
    quint64 m_fileDevice = 0;
    quint64 m_fileInode = 0;
    bool m_ownsFile = false;
};

} // namespace codalab::worker
