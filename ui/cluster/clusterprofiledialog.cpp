// SPDX-License-Identifier: GPL-3.0-or-later
#include "cluster/clusterprofiledialog.h"

#include "cluster/slurmclient.h"
#include "common/units.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace codalab::ui {

ClusterProfileDialog::ClusterProfileDialog(
    const ClusterProfile &profile, QList<ClusterProfile> others, QWidget *parent)
    : QDialog(parent)
    , m_others(std::move(others))
    , m_name(new QLineEdit(profile.name))
    , m_overSsh(new QCheckBox(tr("Over ssh, on the login node")))
    , m_sshHost(new QLineEdit(profile.sshHost))
    , m_tag(new QLineEdit(profile.tag))
    , m_partition(new QComboBox)
    , m_account(new QLineEdit(profile.account))
    , m_gpuType(new QLineEdit(profile.gpuType))
    , m_maxWorkers(new QSpinBox)
    , m_minWorkers(new QSpinBox)
    , m_idleSeconds(new QSpinBox)
    , m_workerArgs(new QLineEdit(profile.workerArgs))
    , m_sbatchArgs(new QLineEdit(profile.sbatchArgs.join(QLatin1Char(' '))))
    , m_logDir(new QLineEdit(profile.logDir))
    , m_passwordFile(new QLineEdit(profile.passwordFile))
    , m_test(new QPushButton(tr("&Test")))
    , m_status(new QLabel)
    , m_locked(
          new QLabel(tr("Its worker manager runs: stop it to change the name, the queue tag or how Slurm "
                        "is reached. Other changes apply when it starts again.")))
{
    setWindowTitle(profile.name.isEmpty() ? tr("Add a cluster") : tr("Cluster %1").arg(profile.name));
    m_name->setObjectName(QStringLiteral("name"));
    m_overSsh->setObjectName(QStringLiteral("overSsh"));
    m_sshHost->setObjectName(QStringLiteral("sshHost"));
    m_tag->setObjectName(QStringLiteral("tag"));
    m_partition->setObjectName(QStringLiteral("partition"));
    m_maxWorkers->setObjectName(QStringLiteral("maxWorkers"));
    m_minWorkers->setObjectName(QStringLiteral("minWorkers"));
    m_logDir->setObjectName(QStringLiteral("logDir"));
    m_workerArgs->setObjectName(QStringLiteral("workerArgs"));
    m_idleSeconds->setObjectName(QStringLiteral("idleSeconds"));
    m_passwordFile->setObjectName(QStringLiteral("passwordFile"));
    m_status->setObjectName(QStringLiteral("status"));
    m_test->setObjectName(QStringLiteral("test"));

    m_overSsh->setChecked(!profile.sshHost.isEmpty());
    m_sshHost->setPlaceholderText(tr("login.cluster.example.org, or an alias of ~/.ssh/config"));
    m_sshHost->setEnabled(m_overSsh->isChecked());
    connect(m_overSsh, &QCheckBox::toggled, m_sshHost, &QWidget::setEnabled);
    m_tag->setPlaceholderText(tr("the tag runs are submitted with, e.g. slurm"));
    m_partition->setEditable(true);
    m_partition->lineEdit()->setPlaceholderText(tr("Slurm's default"));
    m_partition->setCurrentText(profile.partition);
    m_account->setPlaceholderText(tr("your default account"));
    m_gpuType->setPlaceholderText(tr("any (--gres=gpu:N)"));
    m_maxWorkers->setRange(0, 1000);
    m_maxWorkers->setValue(profile.maxWorkers);
    m_maxWorkers->setToolTip(tr("Pending and running jobs together, at most"));
    m_minWorkers->setRange(0, 1000);
    m_minWorkers->setValue(profile.minWorkers);
    m_minWorkers->setToolTip(tr("Jobs kept running even without runs, so a run starts at once"));
    m_idleSeconds->setRange(0, 7 * 24 * 3600);
    m_idleSeconds->setSuffix(tr(" s"));
    m_idleSeconds->setValue(profile.idleSeconds);
    m_idleSeconds->setToolTip(
        tr("A job's worker ends after this long without a run, and gives its node back"));
    m_workerArgs->setPlaceholderText(tr("more codalab-worker flags, e.g. --shared-memory-size-gb 4"));
    m_sbatchArgs->setPlaceholderText(tr("more sbatch flags, e.g. --qos=normal"));
    m_logDir->setPlaceholderText(tr("on the cluster; this computer: ~/.local/state/CodaLab/manager-TAG"));
    m_passwordFile->setPlaceholderText(tr("on the cluster, mode 0600; this computer: not needed"));

    auto *form = new QFormLayout;
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("Slurm:"), m_overSsh);
    form->addRow(tr("&Login node:"), m_sshHost);
    form->addRow(tr("&Queue tag:"), m_tag);
    form->addRow(tr("&Partition:"), m_partition);
    form->addRow(tr("&Account:"), m_account);
    form->addRow(tr("&GPU type:"), m_gpuType);
    form->addRow(tr("&Jobs at most:"), m_maxWorkers);
    form->addRow(tr("&Spare jobs:"), m_minWorkers);
    form->addRow(tr("&Idle time:"), m_idleSeconds);
    form->addRow(tr("&Worker flags:"), m_workerArgs);
    form->addRow(tr("s&batch flags:"), m_sbatchArgs);
    form->addRow(tr("Log &directory:"), m_logDir);
    form->addRow(tr("Pass&word file:"), m_passwordFile);

    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->hide();

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    buttons->addButton(m_test, QDialogButtonBox::ActionRole);
    m_test->setAutoDefault(false);
    connect(m_test, &QPushButton::clicked, this, &ClusterProfileDialog::testConnection);
    connect(buttons, &QDialogButtonBox::accepted, this, &ClusterProfileDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &ClusterProfileDialog::reject);

    m_locked->setWordWrap(true);
    m_locked->hide();
    setMinimumWidth(560); // the placeholders say where things are; cut short they say nothing
    auto *top = new QVBoxLayout(this);
    top->addWidget(m_locked);
    top->addLayout(form);
    top->addWidget(m_status);
    top->addWidget(buttons);
    buttons->button(QDialogButtonBox::Ok)->setDefault(true);
}

ClusterProfileDialog::~ClusterProfileDialog() = default;

ClusterProfile ClusterProfileDialog::profile() const
{
    ClusterProfile p;
    p.name = m_name->text().trimmed();
    p.sshHost = m_overSsh->isChecked() ? m_sshHost->text().trimmed() : QString();
    p.tag = m_tag->text().trimmed();
    // The combo's entries read "main (default)"; the name is the first word.
    p.partition = m_partition->currentText().section(QLatin1Char(' '), 0, 0).trimmed();
    p.account = m_account->text().trimmed();
    p.gpuType = m_gpuType->text().trimmed();
    p.maxWorkers = m_maxWorkers->value();
    p.minWorkers = m_minWorkers->value();
    p.idleSeconds = m_idleSeconds->value();
    p.workerArgs = m_workerArgs->text().simplified();
    p.sbatchArgs = QProcess::splitCommand(m_sbatchArgs->text()); // quotes as a shell reads them
    p.logDir = m_logDir->text().trimmed();
    p.passwordFile = m_passwordFile->text().trimmed();
    return p;
}

QString ClusterProfileDialog::statusText() const
{
    return m_status->isVisible() ? m_status->text() : QString();
}

void ClusterProfileDialog::lockWhereItRuns()
{
    for (QWidget *w : std::initializer_list<QWidget *> { m_name, m_overSsh, m_sshHost, m_tag }) {
        w->setEnabled(false);
    }
    m_locked->show();
}

void ClusterProfileDialog::accept()
{
    QStringList problems = profile().validate(m_others);
    if (m_overSsh->isChecked() && m_sshHost->text().trimmed().isEmpty()) {
        problems.prepend(tr("Login node: give the host to reach Slurm over ssh, or untick \"Over ssh\"."));
    }
    if (!problems.isEmpty()) {
        showStatus(problems.join(QLatin1Char('\n')), true);
        return;
    }
    QDialog::accept();
}

void ClusterProfileDialog::testConnection()
{
    const ClusterProfile p = profile();
    if (m_overSsh->isChecked() && p.sshHost.isEmpty()) {
        showStatus(tr("Give the login node first."), true);
        return;
    }
    delete m_slurm; // a test still running is replaced by this one
    m_slurm = new cluster::SlurmClient(p.sshHost, this);
    m_test->setEnabled(false);
    showStatus(tr("Asking Slurm on %1…").arg(p.reachText()), false);
    m_slurm->partitions(
        [this](const cluster::SlurmResult &r, const QList<cluster::SlurmPartition> &partitions) {
            m_test->setEnabled(true);
            if (!r.ok) {
                showStatus(tr("Slurm did not answer: %1").arg(r.error), true);
                Q_EMIT tested(false);
                return;
            }
            const QString typed = m_partition->currentText();
            m_partition->clear();
            QStringList lines;
            for (const cluster::SlurmPartition &s : partitions) {
                m_partition->addItem(s.isDefault ? tr("%1 (default)").arg(s.name) : s.name);
                lines << describe(s);
            }
            m_partition->setCurrentText(typed);
            showStatus(tr("Slurm answered:\n%1").arg(lines.join(QLatin1Char('\n'))), false);
            Q_EMIT tested(true);
        });
}

QString ClusterProfileDialog::describe(const cluster::SlurmPartition &s)
{
    QStringList notes;
    if (s.isDefault) {
        notes << tr("default");
    }
    if (!s.up) {
        notes << s.availability; // down, drain, inactive: jobs wait or are refused
    }
    return tr("%1%2: %3; per node %4, %5 and %6; %7")
        .arg(s.name,
            notes.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(notes.join(QStringLiteral(", "))),
            tr("%n node(s)", nullptr, s.nodes), tr("%n CPU(s)", nullptr, s.maxCpusPerNode),
            Units::bytes(double(s.maxMemoryMiBPerNode) * 1024 * 1024),
            tr("%n GPU(s)", nullptr, s.maxGpusPerNode),
            s.maxTimeSeconds ? tr("jobs of at most %1").arg(Units::duration(*s.maxTimeSeconds))
                             : tr("no time limit"));
}

void ClusterProfileDialog::showStatus(const QString &text, bool error)
{
    m_status->setStyleSheet(error ? QStringLiteral("color: #c62828;") : QString());
    m_status->setText(text);
    m_status->setVisible(!text.isEmpty());
}

} // namespace codalab::ui
