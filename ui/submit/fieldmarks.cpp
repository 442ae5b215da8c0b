// SPDX-License-Identifier: GPL-3.0-or-later
#include "submit/fieldmarks.h"

#include <QLabel>
#include <QStyle>
#include <QVBoxLayout>
#include <QWidget>

namespace codalab::ui {

namespace {
void setInvalid(QWidget *input, bool invalid)
{
    input->setProperty("invalid", invalid);
    // A dynamic property only restyles a widget that is polished again.
    input->style()->unpolish(input);
    input->style()->polish(input);
    input->update();
}
} // namespace

QString FieldMarks::styleSheet()
{
    return QStringLiteral("*[invalid=\"true\"] { border: 1px solid #c62828; border-radius: 2px; }"
                          " QLabel[fieldMessage=\"true\"] { color: #c62828; }");
}

QWidget *FieldMarks::add(const QString &field, QWidget *input)
{
    auto *box = new QWidget;
    // Grows only when the input does, so a form taller than it needs does not spread its rows.
    const bool grows = input->maximumHeight() == QWIDGETSIZE_MAX
        && (input->sizePolicy().verticalPolicy() & QSizePolicy::ExpandFlag);
    box->setSizePolicy(QSizePolicy::Preferred, grows ? QSizePolicy::Expanding : QSizePolicy::Maximum);
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(input);
    auto *message = new QLabel;
    message->setObjectName(field + QStringLiteral("Message"));
    message->setProperty("fieldMessage", true);
    message->setWordWrap(true);
    message->hide();
    layout->addWidget(message);
    m_fields.insert(field, Field { input, message, input->toolTip(), false });
    m_order.append(field);
    return box;
}

void FieldMarks::setMarkedWidget(const QString &field, QWidget *input)
{
    Field &f = m_fields[field];
    f.input = input;
    f.toolTip = input->toolTip();
}

void FieldMarks::mark(const QString &field, const QString &message)
{
    const auto it = m_fields.find(field);
    if (it == m_fields.end()) {
        return;
    }
    it->marked = true;
    setInvalid(it->input, true);
    it->input->setToolTip(message);
    it->message->setText(message);
    it->message->show();
}

void FieldMarks::markProblems(const QList<Problem> &problems)
{
    QHash<QString, QStringList> messages;
    for (const Problem &p : problems) {
        messages[p.field] << p.message;
    }
    for (auto it = messages.cbegin(); it != messages.cend(); ++it) {
        mark(it.key(), it.value().join(QLatin1Char('\n')));
    }
}

void FieldMarks::unmark(const QString &field)
{
    const auto it = m_fields.find(field);
    if (it == m_fields.end() || !it->marked) {
        return;
    }
    it->marked = false;
    setInvalid(it->input, false);
    it->input->setToolTip(it->toolTip);
    it->message->clear();
    it->message->hide();
}

void FieldMarks::clear()
{
    for (const QString &field : m_fields.keys()) {
        unmark(field);
    }
}

QStringList FieldMarks::marked() const
{
    QStringList out;
    for (auto it = m_fields.cbegin(); it != m_fields.cend(); ++it) {
        if (it->marked) {
            out << it.key();
        }
    }
    out.sort();
    return out;
}

QString FieldMarks::message(const QString &field) const
{
    const Field f = m_fields.value(field);
    return f.marked ? f.message->text() : QString();
}

void FieldMarks::focusFirst() const
{
    for (const QString &field : m_order) {
        if (m_fields.value(field).marked) {
            m_fields.value(field).input->setFocus(Qt::OtherFocusReason);
            return;
        }
    }
}

} // namespace codalab::ui
