// SPDX-License-Identifier: GPL-3.0-or-later
#include "myruns/rundetailspanel.h"

#include "common/units.h"
#include "myruns/myrunsmodel.h"
#include "server/bundlestate.h"
#include "server/metadatakey.h"
#include "util/duration.h"

#include <QDateTime>
#include <QFontDatabase>
#include <QGridLayout>
#include <QLabel>
#include <QLocale>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace codalab::ui {

using server::BundleState;

namespace {

const QString none = QStringLiteral("—");

QString orNone(const QString &s)
{
    return s.isEmpty() ? none : s;
}

/// "1 CPU, no GPU, 2g memory, ..." from the request_* metadata; an empty value is the server's choice.
QString resourcesText(const QJsonObject &m)
{
    const int cpus = qMax(1, m.value(QLatin1String("request_cpus")).toInt(1));
    const int gpus = m.value(QLatin1String("request_gpus")).toInt(0);
    const auto sized = [&m](const char *key) { return m.value(QLatin1String(key)).toVariant().toString(); };
    QStringList parts;
    parts << RunDetailsPanel::tr("%n CPU(s)", nullptr, cpus);
    parts << (gpus == 0 ? RunDetailsPanel::tr("no GPU") : RunDetailsPanel::tr("%n GPU(s)", nullptr, gpus));
    const QString memory = sized("request_memory");
    parts << RunDetailsPanel::tr("memory %1").arg(memory.isEmpty() ? QStringLiteral("2g") : memory);
    const QString disk = sized("request_disk");
    parts << (disk.isEmpty() ? RunDetailsPanel::tr("disk: server default")
                             : RunDetailsPanel::tr("disk %1").arg(disk));
    const QString time = sized("request_time");
    parts << (time.isEmpty() || time == QLatin1String("0") ? RunDetailsPanel::tr("no time limit set")
                                                           : RunDetailsPanel::tr("time limit %1").arg(time));
    const QJsonValue network = m.value(QLatin1String("request_network"));
    parts << (network.isBool() && !network.toBool() ? RunDetailsPanel::tr("no network")
                                                    : RunDetailsPanel::tr("network access"));
    const int priority = m.value(QLatin1String("request_priority")).toInt(0);
    if (priority != 0) {
        parts << RunDetailsPanel::tr("priority %1").arg(priority);
    }
    return parts.join(QStringLiteral(", "));
}

} // namespace

RunDetailsPanel::RunDetailsPanel(QWidget *parent)
    : QWidget(parent)
    , m_now([] { return QDateTime::currentSecsSinceEpoch(); })
    , m_pages(new QStackedWidget(this))
    , m_placeholder(new QLabel(tr("Select a run to see its details."), m_pages))
    , m_content(new QWidget(m_pages))
    , m_notice(new QLabel(m_content))
{
    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setEnabled(false); // the greyed look of a hint

    m_notice->setWordWrap(true);
    m_notice->setTextFormat(Qt::RichText);
    m_notice->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_notice->hide();

    const QString labels[FieldCount] = { tr("UUID:"), tr("Name:"), tr("State:"), tr("Command:"), tr("Image:"),
        tr("Queue:"), tr("Requested:"), tr("Created:"), tr("Started:"), tr("Ended:"), tr("Run time:"),
        tr("Exit code:"), tr("Worker:") };
    auto *grid = new QGridLayout;
    grid->setColumnStretch(1, 1);
    grid->setColumnStretch(3, 1);
    grid->setHorizontalSpacing(12);
    grid->setVerticalSpacing(6);
    // Who and what on the left, when on the right; the long ones span the width.
    const struct
    {
        Field field;
        int row;
        int column;
        int span;
    } places[] = { { NameField, 0, 0, 1 }, { UuidField, 1, 0, 1 }, { StateField, 2, 0, 1 },
        { ImageField, 3, 0, 1 }, { QueueField, 4, 0, 1 }, { WorkerField, 5, 0, 1 }, { CreatedField, 0, 2, 1 },
        { StartedField, 1, 2, 1 }, { EndedField, 2, 2, 1 }, { RunTimeField, 3, 2, 1 },
        { ExitCodeField, 4, 2, 1 }, { CommandField, 6, 0, 3 }, { ResourcesField, 7, 0, 3 } };
    for (const auto &p : places) {
        auto *label = new QLabel(labels[p.field], m_content);
        auto *value = new QLabel(m_content);
        value->setTextFormat(Qt::PlainText);
        value->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
        value->setWordWrap(p.span > 1);
        label->setBuddy(value);
        grid->addWidget(label, p.row, p.column, Qt::AlignLeft | Qt::AlignTop);
        grid->addWidget(value, p.row, p.column + 1, 1, p.span, Qt::AlignTop);
        m_values[p.field] = value;
    }
    m_values[CommandField]->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_values[UuidField]->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));

    auto *contentLayout = new QVBoxLayout(m_content);
    contentLayout->setContentsMargins(0, 0, 0, 0);
    contentLayout->addWidget(m_notice);
    contentLayout->addLayout(grid);
    contentLayout->addStretch(1);

    // A stack, so the panel is as tall with a hint as with a run and the list above does not jump.
    m_pages->addWidget(m_placeholder);
    m_pages->addWidget(m_content);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_pages);
    setBundle({});
}

void RunDetailsPanel::setClock(std::function<qint64()> nowSecs)
{
    m_now = std::move(nowSecs);
    setBundle(m_bundle);
}

void RunDetailsPanel::setBundle(const QJsonObject &bundle)
{
    m_bundle = bundle;
    m_pages->setCurrentWidget(bundle.isEmpty() ? static_cast<QWidget *>(m_placeholder) : m_content);
    if (bundle.isEmpty()) {
        return;
    }
    const QJsonObject a = bundle.value(QLatin1String("attributes")).toObject();
    const QJsonObject m = a.value(QLatin1String("metadata")).toObject();
    const QString state = a.value(QLatin1String("state")).toString();
    const auto text = [&m](const char *key) { return m.value(QLatin1String(key)).toVariant().toString(); };

    m_values[UuidField]->setText(a.value(QLatin1String("uuid")).toString());
    m_values[NameField]->setText(orNone(text("name")));
    m_values[StateField]->setText(state);
    m_values[CommandField]->setText(orNone(a.value(QLatin1String("command")).toString()));
    const QString requested = text("request_docker_image");
    const QString used = text("docker_image");
    QString image = requested.isEmpty() ? tr("server default") : requested;
    if (!used.isEmpty() && used != requested) {
        // The worker reports the image it ran, often as a digest: the first 12 hex digits name it.
        image += tr(" (ran %1)").arg(used.startsWith(QLatin1String("sha256:")) ? used.left(19) : used);
    }
    m_values[ImageField]->setText(image);
    m_values[QueueField]->setText(text("request_queue").isEmpty() ? tr("any worker") : text("request_queue"));
    m_values[ResourcesField]->setText(resourcesText(m));
    m_values[CreatedField]->setText(timeText(m.value(server::MetadataKey::Created)));
    const bool started = m.contains(QLatin1String("started"));
    m_values[StartedField]->setText(started ? timeText(m.value(QLatin1String("started"))) : tr("not yet"));
    // Upstream keeps no end time: the last update of a finished run is when it ended.
    m_values[EndedField]->setText(MyRunsModel::isFinalState(state) && started
            ? timeText(m.value(QLatin1String("last_updated")))
            : none);
    const QJsonValue time = m.value(QLatin1String("time"));
    m_values[RunTimeField]->setText(
        started && time.isDouble() ? util::Duration::format(qint64(time.toDouble())) : none);
    const QJsonValue exitcode = m.value(QLatin1String("exitcode"));
    m_values[ExitCodeField]->setText(exitcode.isDouble() ? QString::number(exitcode.toInt()) : none);
    m_values[WorkerField]->setText(orNone(text("remote")));

    const QString details = a.value(QLatin1String("state_details")).toString();
    if (state == BundleState::Staged) {
        const QString reason = text("staged_status");
        showNotice(tr("Waiting for a worker"), reason.isEmpty() ? details : reason, false);
    } else if (state == BundleState::Failed) {
        const QString failure = text("failure_message");
        showNotice(tr("Failed"), failure.isEmpty() ? details : failure, true);
    } else if (state == BundleState::WorkerOffline) {
        showNotice(tr("Worker offline"), details, false);
    } else {
        m_notice->hide();
        m_notice->clear();
    }
}

void RunDetailsPanel::showNotice(const QString &title, const QString &text, bool error)
{
    // Fixed dark-on-light colours: readable on light and dark themes alike.
    m_notice->setStyleSheet(error
            ? QStringLiteral("QLabel { background: #fde7e9; color: #5f0a12; border: 1px solid #e8a0a8;"
                             " border-radius: 4px; padding: 8px; }")
            : QStringLiteral("QLabel { background: #fff4ce; color: #4d3800; border: 1px solid #e6c35c;"
                             " border-radius: 4px; padding: 8px; }"));
    m_notice->setText(QStringLiteral("<b>%1</b><br>%2").arg(title.toHtmlEscaped(), text.toHtmlEscaped()));
    m_noticeText = title + QLatin1Char('\n') + text;
    m_notice->show();
}

QString RunDetailsPanel::timeText(const QJsonValue &secs) const
{
    const auto t = qint64(secs.toDouble()); // upstream may send fractional seconds
    if (t <= 0) {
        return none;
    }
    return tr("%1 (%2)").arg(
        QLocale().toString(QDateTime::fromSecsSinceEpoch(t), QLocale::ShortFormat), Units::ago(m_now() - t));
}

QString RunDetailsPanel::fieldText(Field field) const
{
    return m_values[field]->text();
}

QString RunDetailsPanel::noticeText() const
{
    return m_notice->isHidden() ? QString() : m_noticeText;
}

} // namespace codalab::ui
