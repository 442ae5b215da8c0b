// SPDX-License-Identifier: GPL-3.0-or-later
#include "submittestsupport.h"

#include "submit/dependencymodel.h"
#include "submit/dependencyresolver.h"
#include "submit/submitrundialog.h"
#include "support/guitestsupport.h"
#include "support/spinuntil.h"

#include <QAbstractButton>
#include <QApplication>
#include <QComboBox>
#include <QJsonDocument>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QTest>

namespace codalab::test {

MapTranslator::MapTranslator(QHash<QString, QStringList> translations)
    : m_translations(std::move(translations))
{
    QCoreApplication::installTranslator(this);
}

MapTranslator::~MapTranslator()
{
    QCoreApplication::removeTranslator(this);
}

QString MapTranslator::translate(const char *, const char *sourceText, const char *, int n) const
{
    const QStringList forms = m_translations.value(QString::fromUtf8(sourceText));
    if (forms.isEmpty()) {
        return {};
    }
    return forms.size() > 1 && n != 1 ? forms.at(1) : forms.at(0);
}

void typeInto(QWidget *input, const QString &text)
{
    QWidget *target = input;
    if (auto *combo = qobject_cast<QComboBox *>(input)) {
        target = combo->lineEdit();
    }
    if (!qobject_cast<QPlainTextEdit *>(input)) {
        QTest::keyClick(target, Qt::Key_A, Qt::ControlModifier);
        if (text.isEmpty()) {
            QTest::keyClick(target, Qt::Key_Delete);
        }
    }
    QTest::keyClicks(target, text);
}

void addDependencyRow(ui::SubmitRunDialog &dialog, const QString &key, const QString &target)
{
    QTest::mouseClick(findButton(&dialog, QStringLiteral("Add dependency")), Qt::LeftButton);
    // The new row's key is being edited; its editor has the focus within the dialog.
    QWidget *keyEditor = dialog.focusWidget();
    REQUIRE(qobject_cast<QLineEdit *>(keyEditor));
    QTest::keyClicks(keyEditor, key);
    QTest::keyClick(keyEditor, Qt::Key_Tab);
    QWidget *targetEditor = dialog.focusWidget();
    REQUIRE(qobject_cast<QLineEdit *>(targetEditor));
    REQUIRE(targetEditor != keyEditor);
    QTest::keyClicks(targetEditor, target);
    QTest::keyClick(targetEditor, Qt::Key_Return);
}

void waitDependencies(ui::SubmitRunDialog &dialog)
{
    const ui::DependencyModel *model = dialog.dependencyModel();
    const bool done = spinUntil(
        [&] {
            if (dialog.dependencyResolver()->isBusy()) {
                return false;
            }
            for (int row = 0; row < model->rowCount(); ++row) {
                const auto state = model->lookup(row);
                if (state == ui::DependencyModel::Lookup::Pending
                    || state == ui::DependencyModel::Lookup::Resolving) {
                    return false;
                }
            }
            return true;
        },
        20000);
    REQUIRE(done);
}

void requireSameRequest(const server::RunRequest &actual, const server::RunRequest &expected)
{
    CHECK(actual.toClCommand().toStdString() == expected.toClCommand().toStdString());
    CHECK(QJsonDocument(actual.toCreateBody()).toJson().toStdString()
        == QJsonDocument(expected.toCreateBody()).toJson().toStdString());
    CHECK(actual.worksheet == expected.worksheet);
    REQUIRE(actual.dependencies.size() == expected.dependencies.size());
    for (qsizetype i = 0; i < actual.dependencies.size(); ++i) {
        CHECK(actual.dependencies[i].target == expected.dependencies[i].target);
    }
}

} // namespace codalab::test
