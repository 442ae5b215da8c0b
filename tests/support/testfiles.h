// SPDX-License-Identifier: GPL-3.0-or-later
// Files to upload and trees to compare, for the tests of uploads and saves.
#pragma once

#include <QByteArray>
#include <QMap>
#include <QString>

namespace codalab::test {

void writeFile(const QString &path, const QByteArray &data);
/// `mebibytes` files of random bytes under `dir`: they do not compress, so sending them takes a while.
void writeNoise(const QString &dir, int mebibytes);
/// What a training run leaves, `megabytes` MiB of it: checkpoints gzip cannot shrink (half) and logs it
/// shrinks several times (half), plus a small stdout. Returns the bytes written.
qint64 makeRunDirectory(const QString &dir, int megabytes);
/// Relative path -> sha256 of every file under `root` (links as "-> target", directories as "dir").
QMap<QString, QByteArray> digestTree(const QString &root);

} // namespace codalab::test
