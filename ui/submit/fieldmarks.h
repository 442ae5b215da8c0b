// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

class QLabel;
class QWidget;

namespace codalab::ui {

/// Invalid-field marks for a form: a red frame on the input (its "invalid" property, which the form's
/// style sheet draws), the message in a line under it and as its tool tip.
///
/// Usage: wrap each input with add(name, input), in the form's order, and put the returned widget in the
/// layout; mark() and unmark() by name, or markProblems() with {field, message} pairs; focusFirst() moves
/// focus to the first marked field of the form.
class FieldMarks
{
public:
    /// One thing wrong with a form: the field's name as given to add() (an identifier, never translated)
    /// and the message the user reads (translated). Kept apart so a translation cannot move a mark.
    struct Problem
    {
        QString field;
        QString message;

        friend bool operator==(const Problem &, const Problem &) = default;
    };

    /// The style sheet rule that draws the mark; set it on the form once.
    static QString styleSheet();

    /// A widget holding `input` and its (hidden) message line.
    QWidget *add(const QString &field, QWidget *input);
    /// Marks `input` instead of what add() was given (a composite editor's main widget).
    void setMarkedWidget(const QString &field, QWidget *input);
    void mark(const QString &field, const QString &message);
    /// Each field gets its messages, one a line; a field that was not added is skipped.
    void markProblems(const QList<Problem> &problems);
    void unmark(const QString &field);
    void clear();
    QStringList marked() const;
    QString message(const QString &field) const;
    void focusFirst() const;

private:
    struct Field
    {
        QWidget *input = nullptr;
        QLabel *message = nullptr;
        QString toolTip; ///< the input's own tool tip, given back when the mark goes
        bool marked = false;
    };

    QHash<QString, Field> m_fields;
    QStringList m_order; ///< as added: the form's order
};

} // namespace codalab::ui
