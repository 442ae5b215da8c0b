// SPDX-License-Identifier: GPL-3.0-or-later
#include "logs/logsearchbar.h"

#include "common/units.h"
#include "logs/logsearch.h"

#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QShortcut>
#include <QToolButton>

namespace codalab::ui {

LogSearchBar::LogSearchBar(QWidget *parent)
    : QWidget(parent)
    , m_field(new QLineEdit(this))
    , m_matchCase(new QToolButton(this))
    , m_previous(new QPushButton(tr("&Previous"), this))
    , m_next(new QPushButton(tr("Ne&xt"), this))
    , m_progress(new QProgressBar(this))
    // Not "Cancel": every letter of it is taken by the page's buttons or the main window.
    , m_cancel(new QPushButton(tr("S&top"), this))
{
    m_field->setPlaceholderText(tr("Search the whole file (Ctrl+F)"));
    m_field->setAccessibleName(tr("Search text"));
    m_field->setClearButtonEnabled(true);
    m_field->setMinimumWidth(180);
    m_field->installEventFilter(this);

    m_matchCase->setText(tr("Aa"));
    m_matchCase->setCheckable(true);
    m_matchCase->setAccessibleName(tr("Match case"));
    m_matchCase->setToolTip(tr("Match case"));
    m_matchCase->setFocusPolicy(Qt::StrongFocus);

    m_previous->setToolTip(tr("Find the previous match (Shift+F3)"));
    m_next->setToolTip(tr("Find the next match (F3)"));
    m_previous->setAutoDefault(false);
    m_next->setAutoDefault(false);

    m_progress->setRange(0, 100);
    m_progress->setMaximumWidth(120);
    m_progress->setAccessibleName(tr("Search progress"));
    m_progress->setVisible(false);
    m_cancel->setToolTip(tr("Stop searching (Esc)"));
    m_cancel->setVisible(false);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_field, 1);
    layout->addWidget(m_matchCase);
    layout->addWidget(m_previous);
    layout->addWidget(m_next);
    layout->addWidget(m_progress);
    layout->addWidget(m_cancel);

    connect(m_previous, &QPushButton::clicked, this, [this]() { requestSearch(true); });
    connect(m_next, &QPushButton::clicked, this, [this]() { requestSearch(false); });
    connect(m_cancel, &QPushButton::clicked, this, &LogSearchBar::cancel);
    connect(m_field, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_previous->setEnabled(!text.isEmpty());
        m_next->setEnabled(!text.isEmpty());
    });
    m_previous->setEnabled(false);
    m_next->setEnabled(false);
}

QString LogSearchBar::text() const
{
    return m_field->text();
}

void LogSearchBar::setText(const QString &text)
{
    m_field->setText(text);
}

Qt::CaseSensitivity LogSearchBar::caseSensitivity() const
{
    return m_matchCase->isChecked() ? Qt::CaseSensitive : Qt::CaseInsensitive;
}

void LogSearchBar::focusSearch()
{
    m_field->setFocus(Qt::ShortcutFocusReason);
    m_field->selectAll();
}

void LogSearchBar::addShortcuts(QWidget *scope)
{
    const auto add = [this, scope](const QKeySequence &keys, auto slot) {
        auto *shortcut = new QShortcut(keys, scope);
        shortcut->setContext(Qt::WidgetWithChildrenShortcut);
        connect(shortcut, &QShortcut::activated, this, slot);
    };
    add(QKeySequence::Find, &LogSearchBar::focusSearch);
    add(QKeySequence::FindNext, [this]() { requestSearch(false); });
    add(QKeySequence::FindPrevious, [this]() { requestSearch(true); });
}

void LogSearchBar::setSearching(bool searching)
{
    m_progress->setVisible(searching);
    m_cancel->setVisible(searching);
    if (searching) {
        m_progress->setValue(0);
    }
}

void LogSearchBar::search(LogSource *source, const QString &text, qint64 from, qint64 fileSize,
    bool backwards, Qt::CaseSensitivity cs)
{
    finish();
    if (!source || text.isEmpty() || fileSize <= 0) {
        Q_EMIT message(tr("There is nothing to search yet."), false);
        Q_EMIT finished(false);
        return;
    }
    const QByteArray needle = text.toUtf8();
    m_search = new LogSearch(source, needle, cs, this);
    connect(m_search, &LogSearch::progress, this, [this, text](qint64 scanned, qint64 total) {
        const int percent = total > 0 ? int(scanned * 100 / total) : 0;
        m_progress->setValue(percent);
        // One arg() call: a "%2" in the searched text must stay as it is.
        Q_EMIT message(tr("Searching for “%1”… %2").arg(text, Units::percent(percent / 100.0)), false);
    });
    connect(m_search, &LogSearch::found, this, [this, text, needle](qint64 offset, bool wrapped) {
        finish();
        const QString at = Units::bytes(double(offset));
        Q_EMIT message(wrapped ? tr("Found “%1” at %2, after wrapping around the file.").arg(text, at)
                               : tr("Found “%1” at %2.").arg(text, at),
            false);
        Q_EMIT found(offset, needle.size());
        Q_EMIT finished(true);
    });
    connect(m_search, &LogSearch::notFound, this, [this, text]() {
        finish();
        Q_EMIT message(tr("No match for “%1”.").arg(text), false);
        Q_EMIT finished(false);
    });
    connect(m_search, &LogSearch::failed, this, [this](const QString &error) {
        finish();
        Q_EMIT message(tr("The search stopped: %1").arg(error), true);
        Q_EMIT finished(false);
    });
    setSearching(true);
    Q_EMIT message(tr("Searching for “%1”…").arg(text), false);
    m_search->start(from, fileSize, backwards);
}

void LogSearchBar::finish()
{
    if (m_search) {
        m_search->cancel();
        m_search->deleteLater();
        m_search = nullptr;
    }
    setSearching(false);
}

void LogSearchBar::cancel()
{
    if (m_search) {
        finish();
        Q_EMIT message(tr("Search cancelled."), false);
    }
}

void LogSearchBar::requestSearch(bool backwards)
{
    if (!m_field->text().isEmpty()) {
        Q_EMIT searchRequested(m_field->text(), backwards, caseSensitivity());
    }
}

bool LogSearchBar::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_field && event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<QKeyEvent *>(event);
        if (key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) {
            requestSearch(key->modifiers().testFlag(Qt::ShiftModifier));
            return true;
        }
        if (key->key() == Qt::Key_Escape && isSearching()) {
            cancel();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace codalab::ui
