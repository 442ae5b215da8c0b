// SPDX-License-Identifier: GPL-3.0-or-later
#include "shell/settingsdialog.h"

#include "common/desktopsettings.h"
#include "common/units.h"
#include "shell/autostartfile.h"
#include "util/bytesize.h"
#include "worker/resourceallocator.h"
#include "worker/workerconfig.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QStyle>
#include <QVBoxLayout>

namespace codalab::ui {

namespace {

constexpr DesktopSettings::Notification notificationKinds[]
    = { DesktopSettings::Notification::RunFinished, DesktopSettings::Notification::RunFailed,
          DesktopSettings::Notification::WorkerOffline, DesktopSettings::Notification::DiskLow };

QList<int> cpusOf(const QJsonObject &status)
{
    QList<int> cpus;
    for (const QJsonValue &v : status.value(QLatin1String("cpuset")).toArray()) {
        cpus.append(v.toInt());
    }
    return cpus;
}

} // namespace

SettingsDialog::SettingsDialog(
    DesktopSettings *settings, AutostartFile *autostart, const QJsonObject &workerStatus, QWidget *parent)
    : QDialog(parent)
    , m_settings(settings)
    , m_autostart(autostart)
    , m_status(workerStatus)
{
    setWindowTitle(tr("Settings"));
    auto *layout = new QVBoxLayout(this);

    auto *workerBox = new QGroupBox(tr("Worker"), this);
    auto *form = new QFormLayout(workerBox);
    m_slots = new QSpinBox(workerBox);
    m_slots->setRange(1, 256);
    m_slots->setValue(settings->workerSlots());
    m_slots->setToolTip(tr("How many runs this computer runs at once"));
    form->addRow(tr("&Slots:"), m_slots);
    m_cpuset = new QLineEdit(settings->workerCpuset(), workerBox);
    m_cpuset->setPlaceholderText(tr("all CPUs (e.g. 0-7,12)"));
    form->addRow(tr("&CPU set:"), m_cpuset);

    auto *gpuWidget = new QWidget(workerBox);
    auto *gpuLayout = new QVBoxLayout(gpuWidget);
    gpuLayout->setContentsMargins(0, 0, 0, 0);
    const QStringList chosen = settings->workerGpus();
    const QJsonArray gpus
        = workerStatus.value(QLatin1String("machine")).toObject().value(QLatin1String("gpus")).toArray();
    for (const QJsonValue &v : gpus) {
        const QJsonObject g = v.toObject();
        const QString uuid = g.value(QLatin1String("uuid")).toString();
        const double mib = g.value(QLatin1String("memory_total_mib")).toDouble(-1);
        QString label = tr("GPU %1: %2")
                            .arg(g.value(QLatin1String("index")).toInt())
                            .arg(g.value(QLatin1String("name")).toString());
        if (mib > 0) {
            label += QStringLiteral(" (%1)").arg(util::ByteSize::format(qint64(mib) * 1024 * 1024));
        }
        auto *box = new QCheckBox(label, gpuWidget);
        box->setProperty("uuid", uuid);
        box->setChecked(chosen.isEmpty() || chosen.contains(uuid));
        gpuLayout->addWidget(box);
        m_gpuBoxes.append(box);
    }
    if (m_gpuBoxes.isEmpty()) {
        gpuLayout->addWidget(new QLabel(tr("No NVIDIA GPU found (nvidia-smi)"), gpuWidget));
    }
    form->addRow(tr("GPUs lent:"), gpuWidget);

    auto *workDirRow = new QWidget(workerBox);
    auto *workDirLayout = new QHBoxLayout(workDirRow);
    workDirLayout->setContentsMargins(0, 0, 0, 0);
    m_workDir = new QLineEdit(settings->workerWorkDir(), workDirRow);
    m_workDir->setPlaceholderText(tr("~/.local/share/CodaLab/worker/<id>"));
    auto *browse = new QPushButton(tr("&Browse…"), workDirRow);
    connect(browse, &QPushButton::clicked, this, [this] {
        // A non-native dialog: the native one may block in ways the event loop does not see.
        auto *dialog = new QFileDialog(this, tr("Work directory"), m_workDir->text());
        dialog->setOption(QFileDialog::DontUseNativeDialog);
        dialog->setFileMode(QFileDialog::Directory);
        dialog->setOption(QFileDialog::ShowDirsOnly);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(dialog, &QFileDialog::fileSelected, m_workDir, &QLineEdit::setText);
        dialog->open();
    });
    workDirLayout->addWidget(m_workDir);
    workDirLayout->addWidget(browse);
    form->addRow(tr("&Work directory:"), workDirRow);
    m_maxWorkDir = new QLineEdit(settings->maxWorkDirSize(), workerBox);
    // Empty means the worker's own default: say what it is, as the worker reports it (the Caches page shows
    // the same figure), not "no cap" while the worker caps at 10 GiB.
    const QJsonObject caches = workerStatus.value(QLatin1String("caches")).toObject();
    const QJsonValue depCap = caches.value(QLatin1String("dependencies_max_bytes"));
    m_maxWorkDir->setPlaceholderText(
        tr("the worker's default: %1 (e.g. 50g)")
            .arg(Units::bytes(
                depCap.isDouble() ? depCap.toDouble() : double(worker::WorkerConfig().maxWorkDirSizeBytes))));
    form->addRow(tr("Dependency cache ca&p:"), m_maxWorkDir);
    m_maxImages = new QLineEdit(settings->maxImageCacheSize(), workerBox);
    const QJsonValue imageCap = caches.value(QLatin1String("images_max_bytes"));
    m_maxImages->setPlaceholderText(imageCap.isDouble()
            ? tr("the worker's default: %1 (e.g. 100g)").arg(Units::bytes(imageCap.toDouble()))
            : tr("no cap (e.g. 100g)"));
    form->addRow(tr("&Image cache cap:"), m_maxImages);
    m_tag = new QLineEdit(settings->workerTag(), workerBox);
    m_tag->setPlaceholderText(tr("none: runs from any queue"));
    form->addRow(tr("&Tag:"), m_tag);
    m_tagExclusive = new QCheckBox(tr("Only runs that ask for this tag"), workerBox);
    m_tagExclusive->setChecked(settings->workerTagExclusive());
    form->addRow(QString(), m_tagExclusive);
    layout->addWidget(workerBox);

    auto *startBox = new QGroupBox(tr("Start-up and tray"), this);
    auto *startLayout = new QVBoxLayout(startBox);
    m_startAtLogin = new QCheckBox(tr("Start CodaLab Desktop when I log in"), startBox);
    m_startAtLogin->setChecked(autostart->isEnabled());
    m_startMinimized = new QCheckBox(tr("Start minimised to the tray"), startBox);
    m_startMinimized->setChecked(settings->startMinimized());
    m_monochromeTray = new QCheckBox(tr("Monochrome tray icon (matches the panel's icons)"), startBox);
    m_monochromeTray->setChecked(settings->monochromeTrayIcon());
    m_monochromeTray->setToolTip(
        tr("The panel's own colour instead of one colour per state; the shapes still tell the states apart"));
    m_manageWorker
        = new QCheckBox(tr("&Manage a worker on this computer (start it when none runs)"), startBox);
    m_manageWorker->setObjectName(QStringLiteral("manageWorker"));
    m_manageWorker->setChecked(settings->manageWorker());
    m_manageWorker->setToolTip(tr("Off: CodaLab Desktop only watches a worker started some other way "
                                  "(Worker → Start the worker still starts one when asked)"));
    startLayout->addWidget(m_manageWorker);
    startLayout->addWidget(m_startAtLogin);
    startLayout->addWidget(m_startMinimized);
    startLayout->addWidget(m_monochromeTray);
    layout->addWidget(startBox);

    auto *notifyBox = new QGroupBox(tr("Notifications"), this);
    auto *notifyLayout = new QVBoxLayout(notifyBox);
    const QString labels[] = { tr("A run finished"), tr("A run failed"),
        tr("The worker went offline or came back"), tr("The work directory's disk is nearly full") };
    for (int i = 0; i < 4; ++i) {
        auto *box = new QCheckBox(labels[i], notifyBox);
        box->setChecked(settings->notificationEnabled(notificationKinds[i]));
        notifyLayout->addWidget(box);
        m_notifications.append(box);
    }
    m_notificationPath = new QLabel(notifyBox);
    m_notificationPath->setObjectName(QStringLiteral("notificationPath"));
    m_notificationPath->setWordWrap(true);
    m_notificationPath->setEnabled(false); // a quiet note
    m_notificationPath->hide();
    notifyLayout->addWidget(m_notificationPath);
    layout->addWidget(notifyBox);

    m_error = new QLabel(this);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #b00020;"));
    m_error->hide();
    layout->addWidget(m_error);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);
    layout->addWidget(buttons);
}

QStringList SettingsDialog::chosenGpus() const
{
    QStringList uuids;
    bool all = true;
    for (QCheckBox *box : m_gpuBoxes) {
        if (box->isChecked()) {
            uuids.append(box->property("uuid").toString());
        } else {
            all = false;
        }
    }
    if (all) {
        return {};
    }
    // An empty list means "all GPUs" to the settings; lending none is said as codalab-worker says it.
    return uuids.isEmpty() ? QStringList { QStringLiteral("NONE") } : uuids;
}

void SettingsDialog::setNotificationPath(const QString &text)
{
    m_notificationPath->setText(text);
    m_notificationPath->setVisible(!text.isEmpty());
}

void SettingsDialog::mark(QWidget *field, const QString &error)
{
    field->setStyleSheet(error.isEmpty() ? QString() : QStringLiteral("border: 1px solid #b00020;"));
    field->setToolTip(error);
}

bool SettingsDialog::checkFields()
{
    QStringList errors;
    QWidget *first = nullptr;
    const auto check = [&](QWidget *field, const QString &error) {
        mark(field, error);
        if (!error.isEmpty()) {
            errors.append(error);
            if (!first) {
                first = field;
            }
        }
    };
    QString error;
    const QList<int> cpus = cpusOf(m_status);
    if (!m_cpuset->text().trimmed().isEmpty() && !cpus.isEmpty()
        && !worker::ResourceAllocator::parseCpuset(m_cpuset->text().trimmed(), cpus, &error)) {
        check(m_cpuset, tr("CPU set: %1").arg(error));
    } else {
        check(m_cpuset, {});
    }
    for (QLineEdit *size : { m_maxWorkDir, m_maxImages }) {
        error.clear();
        if (!size->text().trimmed().isEmpty() && !util::ByteSize::parse(size->text().trimmed(), &error)) {
            check(size, tr("Size \"%1\": %2").arg(size->text().trimmed(), error));
        } else {
            check(size, {});
        }
    }
    m_error->setText(errors.join(QLatin1Char('\n')));
    m_error->setVisible(!errors.isEmpty());
    if (first) {
        first->setFocus();
    }
    return errors.isEmpty();
}

void SettingsDialog::accept()
{
    if (!checkFields()) {
        return;
    }
    // The one step that can fail goes first: nothing is saved unless all of it can be.
    QString error;
    if (m_startAtLogin->isChecked() != m_autostart->isEnabled()
        && !m_autostart->setEnabled(m_startAtLogin->isChecked(), &error)) {
        m_error->setText(error);
        m_error->show();
        return;
    }
    // What the running worker cannot change live: a change means a restart.
    const auto restartFlags = [this] {
        return QStringList { m_settings->workerCpuset(), m_settings->workerWorkDir(),
            m_settings->maxWorkDirSize(), m_settings->maxImageCacheSize(), m_settings->workerTag(),
            QString::number(m_settings->workerTagExclusive()) };
    };
    const QStringList before = restartFlags();
    m_settings->setWorkerSlots(m_slots->value());
    m_settings->setWorkerCpuset(m_cpuset->text());
    m_settings->setWorkerGpus(chosenGpus());
    m_settings->setWorkerWorkDir(m_workDir->text());
    m_settings->setMaxWorkDirSize(m_maxWorkDir->text());
    m_settings->setMaxImageCacheSize(m_maxImages->text());
    m_settings->setWorkerTag(m_tag->text());
    m_settings->setWorkerTagExclusive(m_tagExclusive->isChecked());
    m_settings->setStartMinimized(m_startMinimized->isChecked());
    m_settings->setManageWorker(m_manageWorker->isChecked());
    m_settings->setMonochromeTrayIcon(m_monochromeTray->isChecked());
    for (int i = 0; i < m_notifications.size(); ++i) {
        m_settings->setNotificationEnabled(notificationKinds[i], m_notifications.at(i)->isChecked());
    }
    m_restartNeeded = before != restartFlags();
    m_settings->setStartAtLogin(m_startAtLogin->isChecked());
    QDialog::accept();
}

} // namespace codalab::ui
