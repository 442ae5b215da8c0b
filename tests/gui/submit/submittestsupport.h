// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/runrequest.h"

#include <QHash>
#include <QStringList>
#include <QTranslator>
#include <QWidget>

#include <catch2/catch.hpp>

namespace codalab::ui {
class SubmitRunDialog;
}

namespace codalab::test {

/// A translation held in memory, as a .qm file would give it: each source text maps to its translation,
/// or for a "%n" text to its singular and plural forms (English rule: 1 is singular). Other texts stay
/// untranslated. It is installed in the application for as long as it lives.
class MapTranslator : public QTranslator
{
public:
    explicit MapTranslator(QHash<QString, QStringList> translations);
    ~MapTranslator() override;
    QString translate(const char *context, const char *sourceText, const char *disambiguation = nullptr,
        int n = -1) const override;
    bool isEmpty() const override { return m_translations.isEmpty(); }

private:
    QHash<QString, QStringList> m_translations;
};

/// The child of `parent` named `name`; REQUIREs it.
template<class T> T *child(QWidget *parent, const char *name)
{
    T *found = parent->findChild<T *>(QLatin1String(name));
    INFO("no child " << name);
    REQUIRE(found);
    return found;
}

/// Replaces what a line edit, spin box or editable combo box holds by typing, as a user does (select all,
/// then the keys); a plain-text edit gets the keys appended.
void typeInto(QWidget *input, const QString &text);
/// "key", Tab, "target", Return in a row added with the dialog's "Add dependency" button.
void addDependencyRow(ui::SubmitRunDialog &dialog, const QString &key, const QString &target);
/// Runs the event loop until every dependency row is looked up; REQUIREs it within 20 s.
void waitDependencies(ui::SubmitRunDialog &dialog);
/// Every field of two requests, compared as what they would send and what `cl run` would say.
void requireSameRequest(const server::RunRequest &actual, const server::RunRequest &expected);

} // namespace codalab::test
