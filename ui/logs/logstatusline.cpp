// SPDX-License-Identifier: GPL-3.0-or-later
#include "logs/logstatusline.h"

#include "common/units.h"

#include <QHBoxLayout>
#include <QLabel>

namespace codalab::ui {

LogStatusLine::LogStatusLine(QWidget *parent)
    : QWidget(parent)
    , m_position(new QLabel(this))
    , m_message(new QLabel(this))
{
    m_position->setAccessibleName(tr("Position in the file"));
    m_position->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_message->setAccessibleName(tr("Log status"));
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_position);
    layout->addStretch(1);
    layout->addWidget(m_message);
}

void LogStatusLine::setPosition(qint64 start, qint64 end, qint64 size)
{
    QString text;
    if (size <= 0) {
        text = tr("Empty");
    } else if (start == 0 && end >= size) {
        text = tr("All of %1").arg(Units::bytes(size));
    } else if (start == 0) {
        text = tr("Showing the first %1 of %2").arg(Units::bytes(end), Units::bytes(size));
    } else if (end >= size) {
        text = tr("Showing the last %1 of %2").arg(Units::bytes(end - start), Units::bytes(size));
    } else {
        text = tr("Showing %1 – %2 of %3").arg(Units::bytes(start), Units::bytes(end), Units::bytes(size));
    }
    m_position->setText(text);
}

void LogStatusLine::setPositionText(const QString &text)
{
    m_position->setText(text);
}

QString LogStatusLine::positionText() const
{
    return m_position->text();
}

void LogStatusLine::setMessage(const QString &message, bool error)
{
    m_error = error;
    m_message->setText(message);
    m_message->setToolTip(message);
    QPalette palette = m_position->palette();
    if (error) {
        palette.setColor(QPalette::WindowText, QColor(0xb0, 0x20, 0x20));
    }
    m_message->setPalette(palette);
}

QString LogStatusLine::message() const
{
    return m_message->text();
}

} // namespace codalab::ui
