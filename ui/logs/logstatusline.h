// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class QLabel;

namespace codalab::ui {

/// The line under a LogView: where the window is in the file ("Showing the last 2 MiB of 2.5 MiB") on the
/// left, and the latest message (search progress, a removed or truncated file, an error in red) on the
/// right, selectable so it can be copied.
///
/// Usage: setPosition(start, end, size) after each change of the window, or setPositionText() for a file
/// without bytes; setMessage() for what happened.
class LogStatusLine : public QWidget
{
    Q_OBJECT
public:
    explicit LogStatusLine(QWidget *parent = nullptr);

    /// Bytes [start, end) of a file of `size` bytes are shown.
    void setPosition(qint64 start, qint64 end, qint64 size);
    void setPositionText(const QString &text);
    QString positionText() const;

    void setMessage(const QString &message, bool error = false);
    QString message() const;
    bool isError() const { return m_error; }

private:
    QLabel *m_position;
    QLabel *m_message;
    bool m_error = false;
};

} // namespace codalab::ui
