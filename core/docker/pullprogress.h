// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QMap>
#include <QMetaType>
#include <QString>

namespace codalab::docker {

/// Where an image pull stands, summed over its layers.
struct PullStatus
{
    QString lastStatus; ///< the Engine's last status line, e.g. "Downloading", "Pull complete"
    qint64 currentBytes = 0;
    qint64 totalBytes = 0;
    int layers = 0;
    int layersDone = 0;

    /// "Downloading 20.3MB/28.5MB (71% done)", the form CodaLab's run_status uses.
    QString text() const;
};

/// Reads the Engine's pull stream (one JSON object a line), incrementally and for any split of the bytes.
/// A line with "error" (the registry refused, no network, no such image) ends the pull with that message.
class PullProgress
{
public:
    /// Returns true when the status changed.
    bool feed(QByteArrayView data);
    /// Call at the end of the stream: a last line without a newline is read then.
    bool finish();

    const PullStatus &status() const { return m_status; }
    bool hasError() const { return !m_error.isEmpty(); }
    const QString &errorString() const { return m_error; }
    /// "sha256:..." from the "Digest: ..." line, when the Engine sent one.
    const QString &digest() const { return m_digest; }

private:
    bool readLine(const QByteArray &line);

    QByteArray m_partial;
    QMap<QString, QPair<qint64, qint64>> m_layerBytes; // layer id -> (current, total)
    QMap<QString, bool> m_layerDone;
    PullStatus m_status;
    QString m_error;
    QString m_digest;
};

} // namespace codalab::docker

Q_DECLARE_METATYPE(codalab::docker::PullStatus)
