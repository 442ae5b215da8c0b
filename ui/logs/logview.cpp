// SPDX-License-Identifier: GPL-3.0-or-later
#include "logs/logview.h"

#include "common/units.h"
#include "logs/logsearchbar.h"
#include "logs/logsource.h"
#include "logs/logstatusline.h"
#include "logs/logtextedit.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QPushButton>
#include <QShortcut>
#include <QVBoxLayout>

#include <utility>

namespace codalab::ui {

namespace {

/// New bytes are read and added at most this much at a time, so the widget never takes a flood at once.
constexpr qint64 AppendChunk = 512 * 1024;
/// Scrolling to an edge (or "Load earlier") reads this much more.
constexpr qint64 PageChunk = 512 * 1024;
/// When not following, the size is polled this many times less often (for the position label).
constexpr int IdlePollFactor = 4;

} // namespace

LogView::LogView(QWidget *parent)
    : QWidget(parent)
    , m_text(new LogTextEdit(this))
    , m_startButton(new QPushButton(tr("&Start"), this))
    , m_earlierButton(new QPushButton(tr("Load &earlier"), this))
    , m_endButton(new QPushButton(tr("E&nd"), this))
    , m_followBox(new QCheckBox(tr("F&ollow"), this))
    , m_searchBar(new LogSearchBar(this))
    , m_statusLine(new LogStatusLine(this))
    , m_gate(new VisibilityGate(this))
{
    m_text->setMaxBytes(m_windowBytes);
    m_startButton->setToolTip(tr("Show the start of the file (Ctrl+Home)"));
    m_earlierButton->setToolTip(tr("Show the lines before these"));
    m_endButton->setToolTip(tr("Show the end of the file and follow it (Ctrl+End)"));
    m_followBox->setToolTip(tr("Keep showing new lines as they are written"));
    m_followBox->setChecked(true);

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_startButton);
    bar->addWidget(m_earlierButton);
    bar->addWidget(m_endButton);
    bar->addWidget(m_followBox);
    bar->addSpacing(12);
    bar->addWidget(m_searchBar, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_statusLine);

    connect(m_startButton, &QPushButton::clicked, this, &LogView::jumpToStart);
    connect(m_earlierButton, &QPushButton::clicked, this, &LogView::loadEarlier);
    connect(m_endButton, &QPushButton::clicked, this, &LogView::jumpToEnd);
    connect(m_followBox, &QCheckBox::toggled, this, [this](bool on) {
        if (on && !m_text->window().atFileEnd()) {
            jumpToEnd(); // following from the middle means going to the end first
        } else {
            setFollowing(on);
        }
    });
    connect(m_searchBar, &LogSearchBar::searchRequested, this, &LogView::find);
    connect(m_searchBar, &LogSearchBar::found, this, &LogView::onFound);
    connect(m_searchBar, &LogSearchBar::finished, this, &LogView::searchFinished);
    connect(m_searchBar, &LogSearchBar::message, m_statusLine, &LogStatusLine::setMessage);
    connect(m_text, &LogTextEdit::userScrolled, this, &LogView::onUserScrolled);

    // Shortcuts of the view that has the focus only: a LogsPage holds two views.
    m_searchBar->addShortcuts(this);
    for (const auto &[keys, slot] :
        { std::pair { Qt::Key_Home, &LogView::jumpToStart }, { Qt::Key_End, &LogView::jumpToEnd } }) {
        auto *shortcut = new QShortcut(QKeySequence(Qt::CTRL | keys), this);
        shortcut->setContext(Qt::WidgetWithChildrenShortcut);
        connect(shortcut, &QShortcut::activated, this, slot);
    }

    m_pollTimer.setInterval(m_pollMs);
    connect(&m_pollTimer, &QTimer::timeout, this, &LogView::poll);
    connect(m_gate, &VisibilityGate::changed, this, &LogView::activate);
    updateLabels();
}

LogView::~LogView()
{
    disconnect(m_gate, nullptr, this, nullptr); // ~QWidget() hides the view when this part is gone
}

void LogView::setWindowBytes(qint64 bytes)
{
    m_windowBytes = qMax<qint64>(bytes, 1024);
    m_text->setMaxBytes(m_windowBytes);
}

void LogView::setPollIntervalMs(int ms)
{
    m_pollMs = qMax(ms, 10);
    m_pollTimer.setInterval(m_following ? m_pollMs : m_pollMs * IdlePollFactor);
}

qint64 LogView::windowStart() const
{
    return m_text->window().start();
}

qint64 LogView::windowEnd() const
{
    return m_text->window().shownEnd();
}

void LogView::setSource(LogSource *source)
{
    m_text->clearBytes();
    attach(source);
    Q_EMIT windowChanged();
}

void LogView::replaceSource(LogSource *source)
{
    const bool keepPlace = !m_following && m_text->window().end() > 0;
    const qint64 at = m_text->window().start();
    attach(source); // the text stays until the new source answers
    if (keepPlace) {
        m_resumeAt = at;
        setFollowing(false);
    }
}

void LogView::attach(LogSource *source)
{
    cancelSearch();
    delete m_source.data();
    m_source = source;
    const qint64 before = std::exchange(m_size, UnknownSize);
    m_op = Op::None;
    m_request = 0;
    m_hit = -1;
    m_resumeAt = -1;
    m_reloadTail = false;
    m_removed = false;
    m_statusLine->setMessage({});
    if (source) {
        source->setParent(this);
        connect(source, &LogSource::sizeKnown, this, &LogView::onSize);
        connect(source, &LogSource::rangeRead, this, &LogView::onRange);
        connect(source, &LogSource::failed, this, &LogView::onFailed);
        setFollowing(true);
    }
    activate(); // a hidden view asks for nothing until it is shown
    updateLabels();
    if (before != m_size) {
        Q_EMIT sizeChanged(m_size); // a size shown next to the view (a tab's) must not outlive its file
    }
}

void LogView::activate()
{
    if (m_gate->isActive() && m_source) {
        if (!m_pollTimer.isActive()) {
            m_pollTimer.start();
        }
        poll(); // at once: what changed while hidden shows without waiting for a tick
    } else {
        m_pollTimer.stop();
    }
}

void LogView::startOp(Op op, int request)
{
    m_op = op;
    m_request = request; // an answer to any earlier request is stale from now on
}

void LogView::readWindow(Op op, qint64 offset)
{
    startOp(op, m_source->requestRange(offset, m_windowBytes));
}

void LogView::jumpToStart()
{
    if (!m_source || m_size <= 0) {
        return;
    }
    setFollowing(false);
    readWindow(Op::ReadAt, 0);
}

void LogView::jumpToEnd()
{
    if (!m_source) {
        return;
    }
    setFollowing(true);
    startOp(Op::TailSize, m_source->requestSize());
}

void LogView::setFollowing(bool following)
{
    if (following != m_following) {
        m_following = following;
        m_pollTimer.setInterval(following ? m_pollMs : m_pollMs * IdlePollFactor);
        Q_EMIT followingChanged(following);
    }
    const QSignalBlocker blocker(m_followBox);
    m_followBox->setChecked(following);
    m_text->setPinnedToBottom(following);
}

void LogView::loadEarlier()
{
    const qint64 start = m_text->window().start();
    if (!m_source || start <= 0 || (m_op != Op::None && m_op != Op::PollSize)) {
        return;
    }
    const qint64 offset = qMax<qint64>(0, start - PageChunk);
    startOp(Op::Earlier, m_source->requestRange(offset, start - offset));
}

void LogView::loadLater()
{
    if (!m_source || m_text->window().atFileEnd() || (m_op != Op::None && m_op != Op::PollSize)) {
        return;
    }
    startOp(Op::Later, m_source->requestRange(m_text->window().end(), PageChunk));
}

void LogView::poll()
{
    if (!m_source || m_op != Op::None || m_text->isBusy() || !m_gate->isActive()) {
        return; // never two requests at once, nor while text is going in; a hidden view waits to be shown
    }
    if (!isVisible() && m_size != UnknownSize && ++m_backgroundTicks % IdlePollFactor != 0) {
        return; // behind another tab: only keeps its size current
    }
    startOp(m_reloadTail || m_size == UnknownSize ? Op::TailSize : Op::PollSize, m_source->requestSize());
}

void LogView::onSize(int request, qint64 size)
{
    if (request != m_request) {
        return;
    }
    const Op op = m_op;
    m_op = Op::None;
    const qint64 before = m_size;
    if (m_statusLine->isError()) {
        m_statusLine->setMessage({}); // the file answers again
    }
    if (op == Op::TailSize || m_size < 0 || size < 0) {
        m_size = size;
        m_reloadTail = false;
        if (size == LogSource::Missing && m_text->window().end() > 0) {
            // Shown, then gone (a finished run's directory is deleted): what it held stays readable.
            m_removed = true;
            m_statusLine->setMessage(
                m_removedText.isEmpty() ? tr("The file was removed; this is what it held.") : m_removedText);
        } else if (size == LogSource::Missing) {
            m_text->clearBytes();
        } else {
            if (std::exchange(m_removed, false)) {
                m_statusLine->setMessage({}); // back again
            }
            const bool resume = m_resumeAt >= 0 && m_resumeAt < size;
            readWindow(resume ? Op::ReadAt : Op::ReadTail,
                resume ? m_resumeAt : qMax<qint64>(0, size - m_windowBytes));
            if (!resume && m_resumeAt >= 0) {
                setFollowing(true); // the place is past the end of this copy: its end is the next best
            }
            m_resumeAt = -1;
        }
    } else {
        onGrowth(size);
    }
    updateLabels();
    if (m_size != before) {
        Q_EMIT sizeChanged(m_size);
    }
}

void LogView::onGrowth(qint64 size)
{
    const LogWindow &window = m_text->window();
    if (size < window.end()) {
        // Truncated or replaced: what is shown no longer matches the file.
        m_size = size;
        m_statusLine->setMessage(tr("The file was truncated; showing it again from its end."));
        setFollowing(true);
        readWindow(Op::ReadTail, qMax<qint64>(0, size - m_windowBytes));
        return;
    }
    m_size = size;
    if (!window.atFileEnd() || size == window.end()) {
        return;
    }
    if (size - window.end() > m_windowBytes) {
        readWindow(Op::ReadTail, size - m_windowBytes); // more new bytes than a window: skip to the end
        return;
    }
    startOp(Op::Append, m_source->requestRange(window.end(), qMin(AppendChunk, size - window.end())));
}

void LogView::onRange(int request, qint64 offset, const QByteArray &data)
{
    if (request != m_request) {
        return;
    }
    const Op op = m_op;
    m_op = Op::None;
    m_size = qMax(m_size, offset + data.size());
    const bool atEnd = offset + data.size() >= m_size;
    switch (op) {
    case Op::ReadTail:
    case Op::ReadAt:
    case Op::ReadAround:
        if (op == Op::ReadAround) {
            m_text->showBytesAround(offset, data, atEnd, m_hit);
            m_text->selectBytes(m_hit, m_hit + m_hitBytes);
        } else {
            m_text->showBytes(offset, data, atEnd, op == Op::ReadTail);
        }
        break;
    case Op::Append:
        m_text->appendBytes(data, atEnd);
        if (!data.isEmpty() && m_text->window().end() < m_size) {
            // The rest of the growth, a chunk per turn of the event loop.
            const qint64 more = qMin(AppendChunk, m_size - m_text->window().end());
            startOp(Op::Append, m_source->requestRange(m_text->window().end(), more));
        }
        break;
    case Op::Earlier:
        if (m_text->prependBytes(offset, data)) {
            setFollowing(false);
        }
        break;
    case Op::Later:
        m_text->appendBytes(data, atEnd);
        break;
    default:
        break;
    }
    updateLabels();
    Q_EMIT windowChanged();
}

void LogView::onFailed(int request, const QString &message)
{
    if (request != m_request) {
        return;
    }
    const Op op = m_op;
    m_op = Op::None;
    // A failed read of the end is tried again on the next poll; other reads wait for the user.
    m_reloadTail = op == Op::ReadTail || op == Op::TailSize;
    m_statusLine->setMessage(message, true);
}

void LogView::onUserScrolled(bool atTop, bool atBottom)
{
    const LogWindow &window = m_text->window();
    if (atTop && !atBottom && window.start() > 0) {
        loadEarlier();
    } else if (atBottom && !window.atFileEnd()) {
        loadLater();
    }
    // Scrolling away from the end stops following; scrolling back to it resumes.
    if (m_following && !atBottom) {
        setFollowing(false);
    } else if (!m_following && atBottom && !atTop && window.atFileEnd()) {
        setFollowing(true);
    }
}

void LogView::find(const QString &text, bool backwards, Qt::CaseSensitivity cs)
{
    // From the selected match, else from the first line on screen.
    qint64 from = m_text->firstVisibleOffset();
    if (m_hit >= 0 && m_text->window().contains(m_hit)) {
        from = backwards ? m_hit : m_hit + 1;
    }
    m_searchBar->search(m_source, text, from, m_size, backwards, cs);
}

void LogView::onFound(qint64 offset, qint64 bytes)
{
    m_hit = offset;
    m_hitBytes = bytes;
    setFollowing(false);
    const LogWindow &window = m_text->window();
    if (window.contains(offset) && window.contains(offset + bytes - 1)) {
        m_text->selectBytes(offset, offset + bytes);
    } else {
        readWindow(Op::ReadAround, qMax<qint64>(0, offset - m_windowBytes / 2));
    }
}

void LogView::cancelSearch()
{
    m_searchBar->cancel();
}

bool LogView::isSearching() const
{
    return m_searchBar->isSearching();
}

QString LogView::text() const
{
    return m_text->toPlainText();
}

QString LogView::selectedText() const
{
    return m_text->textCursor().selectedText();
}

QString LogView::statusText() const
{
    return m_statusLine->message();
}

QString LogView::positionText() const
{
    return m_statusLine->positionText();
}

void LogView::updatePlaceholder()
{
    // From the size alone, as the size shown beside the view (a tab's) is: the two never disagree, whichever
    // answer came last. Shown only while the text is empty.
    QString text;
    if (!m_source || m_size == UnknownSize) {
        text.clear();
    } else if (m_size == LogSource::Missing) {
        text = m_missingText.isEmpty()
            ? tr("%1 has not been written yet; it shows here as soon as it is.").arg(m_source->displayName())
            : m_missingText;
    } else if (m_size == 0) {
        text = tr("%1 is empty.").arg(m_source->displayName());
    } else {
        text = tr("Reading %1 (%2)…").arg(m_source->displayName(), Units::bytes(double(m_size)));
    }
    if (m_text->placeholderText() != text) {
        m_text->setPlaceholderText(text);
    }
}

void LogView::updateLabels()
{
    updatePlaceholder();
    const qint64 start = m_text->window().start();
    m_startButton->setEnabled(m_size > 0 && start > 0);
    m_earlierButton->setEnabled(m_size > 0 && start > 0);
    m_endButton->setEnabled(m_source != nullptr);
    if (!m_source || m_size == UnknownSize) {
        m_statusLine->setPositionText({});
    } else if (m_size == LogSource::Missing) {
        m_statusLine->setPositionText(m_removed ? tr("Removed") : tr("Not written yet"));
    } else {
        m_statusLine->setPosition(start, m_text->window().shownEnd(), m_size);
    }
}

} // namespace codalab::ui
