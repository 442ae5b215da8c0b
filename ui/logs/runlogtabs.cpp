// SPDX-License-Identifier: GPL-3.0-or-later
#include "logs/runlogtabs.h"

#include "common/units.h"
#include "logs/logsource.h"
#include "logs/logview.h"

namespace codalab::ui {

RunLogTabs::RunLogTabs(QWidget *parent)
    : QTabWidget(parent)
    , m_stdout(new LogView(this))
    , m_stderr(new LogView(this))
{
    addTab(m_stdout, QStringLiteral("stdout"));
    addTab(m_stderr, QStringLiteral("stderr"));
    setDocumentMode(true);
    connect(m_stdout, &LogView::sizeChanged, this, &RunLogTabs::updateLabels);
    connect(m_stderr, &LogView::sizeChanged, this, &RunLogTabs::updateLabels);
    connect(this, &QTabWidget::currentChanged, this, [this] {
        if (!m_picking) {
            m_picked = true; // someone else's choice: it is not undone
        }
    });
}

void RunLogTabs::restart()
{
    setCurrentQuietly(m_stdout);
    m_picked = false;
    updateLabels();
}

void RunLogTabs::setCurrentQuietly(QWidget *tab)
{
    m_picking = true;
    setCurrentWidget(tab);
    m_picking = false;
}

void RunLogTabs::updateLabels()
{
    // The size the view knows, as its empty-state text does (LogView): both come from fileSize().
    const auto label = [](const QString &name, qint64 size) {
        return size < 0 ? name : tr("%1 (%2)").arg(name, Units::bytes(double(size)));
    };
    setTabText(0, label(QStringLiteral("stdout"), m_stdout->fileSize()));
    setTabText(1, label(QStringLiteral("stderr"), m_stderr->fileSize()));
    pick();
}

void RunLogTabs::pick()
{
    if (m_picked) {
        return;
    }
    const qint64 out = m_stdout->fileSize();
    if (out > 0) {
        m_picked = true; // stdout has text: it stays in front
        return;
    }
    // Only once stdout is known to have nothing: a run that wrote only to stderr (a traceback, warnings).
    if (out != LogView::UnknownSize && m_stderr->fileSize() > 0) {
        setCurrentQuietly(m_stderr);
        m_picked = true;
    }
}

} // namespace codalab::ui
