// SPDX-License-Identifier: GPL-3.0-or-later
#include "myruns/rundetailspanel.h"

#include "common/units.h"
#include "common/usernames.h"
#include "myruns/ownworkerhold.h"
#include "myruns/runtimes.h"
#include "server/bundlestate.h"
#include "server/metadatakey.h"

#include <QDateTime>
#include <QFontDatabase>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
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

/// One line per dependency, as `cl info` lists them: "key: parent_name (0x1234abcd)/path".
QString dependenciesText(const QJsonArray &dependencies)
{
    QStringList lines;
    for (const QJsonValue &v : dependencies) {
        const QJsonObject d = v.toObject();
        const QString name = d.value(QLatin1String("parent_name")).toString();
        const QString uuid = d.value(QLatin1String("parent_uuid")).toString().left(10);
        const QString path = d.value(QLatin1String("parent_path")).toString();
        QString parent = name.isEmpty() ? uuid : RunDetailsPanel::tr("%1 (%2)").arg(name, uuid);
        if (!path.isEmpty()) {
            parent += QLatin1Char('/') + path;
        }
        const QString key = d.value(QLatin1String("child_path")).toString();
        lines << (key.isEmpty() ? parent : RunDetailsPanel::tr("%1: %2").arg(key, parent));
    }
    return lines.isEmpty() ? RunDetailsPanel::tr("none") : lines.join(QLatin1Char('\n'));
}

QString ownerIdOf(const QJsonObject &bundle)
{
    return bundle.value(QLatin1String("relationships"))
        .toObject()
        .value(QLatin1String("owner"))
        .toObject()
        .value(QLatin1String("data"))
        .toObject()
        .value(QLatin1String("id"))
        .toString();
}

} // namespace

RunDetailsPanel::RunDetailsPanel(QWidget *parent)
    : QWidget(parent)
    , m_now([] { return QDateTime::currentSecsSinceEpoch(); })
    , m_pages(new QStackedWidget(this))
    , m_placeholder(new QLabel(tr("Select a run to see its details."), m_pages))
    , m_content(new QWidget(m_pages))
    , m_noticeBox(new QWidget(m_content))
    , m_notice(new QLabel(m_noticeBox))
    , m_resume(new QPushButton(tr("Res&ume worker"), m_noticeBox))
{
    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setEnabled(false); // the greyed look of a hint

    m_notice->setWordWrap(true);
    m_notice->setTextFormat(Qt::RichText);
    m_notice->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_resume->setToolTip(tr("Let this computer's worker take runs again"));
    m_resume->hide();
    auto *noticeLayout = new QHBoxLayout(m_noticeBox);
    noticeLayout->setContentsMargins(0, 0, 0, 0);
    noticeLayout->addWidget(m_notice, 1);
    noticeLayout->addWidget(m_resume, 0, Qt::AlignVCenter);
    m_noticeBox->hide();
    connect(m_resume, &QPushButton::clicked, this, &RunDetailsPanel::resumeWorkerRequested);

    const QString labels[FieldCount] = { tr("UUID:"), tr("Name:"), tr("State:"), tr("Command:"), tr("Image:"),
        tr("Queue:"), tr("Requested:"), tr("Created:"), tr("Started:"), tr("Ended:"), tr("Run time:"),
        tr("Exit code:"), tr("Worker:"), tr("Owner:"), tr("Dependencies:") };
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
        { ExitCodeField, 4, 2, 1 }, { OwnerField, 5, 2, 1 }, { CommandField, 6, 0, 3 },
        { DependenciesField, 7, 0, 3 }, { ResourcesField, 8, 0, 3 } };
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
    contentLayout->addWidget(m_noticeBox);
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
    refreshTimes();
}

void RunDetailsPanel::setUserNames(UserNames *names)
{
    if (m_names) {
        disconnect(m_names, nullptr, this, nullptr);
    }
    m_names = names;
    if (names) {
        connect(names, &UserNames::resolved, this, &RunDetailsPanel::updateOwner);
    }
    updateOwner();
}

void RunDetailsPanel::setWorkerStatus(const QJsonObject &status)
{
    m_workerStatus = status;
    updateNotice();
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
    const auto text = [&m](const char *key) { return m.value(QLatin1String(key)).toVariant().toString(); };

    m_values[UuidField]->setText(a.value(QLatin1String("uuid")).toString());
    m_values[NameField]->setText(orNone(text("name")));
    m_values[StateField]->setText(a.value(QLatin1String("state")).toString());
    m_values[CommandField]->setText(orNone(a.value(QLatin1String("command")).toString()));
    m_values[DependenciesField]->setText(dependenciesText(a.value(QLatin1String("dependencies")).toArray()));
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
    // Null until the run ends, and absent for a run killed before it ran: only a number is a code.
    const QJsonValue exitcode = m.value(server::MetadataKey::Exitcode);
    m_values[ExitCodeField]->setText(exitcode.isDouble() ? QString::number(exitcode.toInt()) : none);
    m_values[WorkerField]->setText(orNone(text("remote")));
    updateOwner();
    updateTimes();
    updateNotice();
}

void RunDetailsPanel::refreshTimes()
{
    if (!m_bundle.isEmpty()) {
        updateTimes();
    }
}

void RunDetailsPanel::updateTimes()
{
    const QJsonObject m
        = m_bundle.value(QLatin1String("attributes")).toObject().value(QLatin1String("metadata")).toObject();
    const QJsonValue created = m.value(server::MetadataKey::Created);
    m_values[CreatedField]->setText(
        timeText(created.isDouble() ? std::optional(qint64(created.toDouble())) : std::nullopt));
    const auto started = RunTimes::started(m_bundle);
    m_values[StartedField]->setText(started ? timeText(started) : tr("not yet"));
    m_values[EndedField]->setText(started ? timeText(RunTimes::ended(m_bundle)) : none);
    m_values[RunTimeField]->setText(orNone(RunTimes::runText(m_bundle, m_now())));
    m_values[RunTimeField]->setToolTip(RunTimes::breakdown(m_bundle));
}

void RunDetailsPanel::updateOwner()
{
    if (m_bundle.isEmpty()) {
        return;
    }
    const QString id = ownerIdOf(m_bundle);
    QString name = m_names ? m_names->nameOf(id) : QString();
    if (name.isEmpty() && !id.isEmpty() && (!m_names || m_names->hasFailed(id))) {
        name = tr("user %1").arg(id); // the server would not name them: the id is all there is
    }
    // While the name is looked up the field stays empty rather than flashing the id.
    m_values[OwnerField]->setText(id.isEmpty() ? none : name);
    m_values[OwnerField]->setToolTip(id);
}

void RunDetailsPanel::updateNotice()
{
    if (m_bundle.isEmpty()) {
        return;
    }
    const QJsonObject a = m_bundle.value(QLatin1String("attributes")).toObject();
    const QJsonObject m = a.value(QLatin1String("metadata")).toObject();
    const QString state = a.value(QLatin1String("state")).toString();
    const QString details = a.value(QLatin1String("state_details")).toString();
    const QString failure = m.value(server::MetadataKey::FailureMessage).toString();
    if (state == BundleState::Staged) {
        // The server's reason is about every worker; when this computer's would take the run but is paused,
        // snoozed or draining, that is the reason the user can do something about.
        const QString hold = OwnWorkerHold::reason(m_workerStatus, m_bundle);
        const QString reason = m.value(server::MetadataKey::StagedStatus).toString();
        if (!hold.isEmpty()) {
            showNotice(tr("Waiting for your worker"), hold, false, true);
        } else {
            showNotice(tr("Waiting for a worker"), reason.isEmpty() ? details : reason, false);
        }
    } else if (state == BundleState::Failed) {
        showNotice(tr("Failed"), failure.isEmpty() ? details : failure, true);
    } else if (state == BundleState::Killed) {
        showNotice(tr("Killed"), failure.isEmpty() ? details : failure, false);
    } else if (state == BundleState::WorkerOffline) {
        showNotice(tr("Worker offline"), details, false);
    } else {
        m_noticeBox->hide();
        m_notice->clear();
        m_resume->hide();
    }
}

void RunDetailsPanel::showNotice(const QString &title, const QString &text, bool error, bool offerResume)
{
    // Fixed dark-on-light colours: readable on light and dark themes alike.
    m_notice->setStyleSheet(error
            ? QStringLiteral("QLabel { background: #fde7e9; color: #5f0a12; border: 1px solid #e8a0a8;"
                             " border-radius: 4px; padding: 8px; }")
            : QStringLiteral("QLabel { background: #fff4ce; color: #4d3800; border: 1px solid #e6c35c;"
                             " border-radius: 4px; padding: 8px; }"));
    m_notice->setText(QStringLiteral("<b>%1</b><br>%2").arg(title.toHtmlEscaped(), text.toHtmlEscaped()));
    m_noticeText = title + QLatin1Char('\n') + text;
    m_resume->setVisible(offerResume);
    m_noticeBox->show();
}

QString RunDetailsPanel::timeText(std::optional<qint64> secs) const
{
    if (!secs || *secs <= 0) {
        return none;
    }
    return tr("%1 (%2)").arg(QLocale().toString(QDateTime::fromSecsSinceEpoch(*secs), QLocale::ShortFormat),
        Units::ago(m_now() - *secs));
}

QString RunDetailsPanel::fieldText(Field field) const
{
    return m_values[field]->text();
}

QString RunDetailsPanel::noticeText() const
{
    return m_noticeBox->isHidden() ? QString() : m_noticeText;
}

} // namespace codalab::ui
