// SPDX-License-Identifier: GPL-3.0-or-later
#include "submit/submitrundialog.h"

#include "cluster/clusterfit.h"
#include "common/desktopsettings.h"
#include "common/units.h"
#include "common/workerlink.h"
#include "server/apijob.h"
#include "server/codalabclient.h"
#include "server/runsubmission.h"
#include "submit/dependencymodel.h"
#include "submit/dependencyresolver.h"
#include "submit/fitcheck.h"
#include "submit/imagecombobox.h"
#include "submit/runform.h"
#include "util/transferrate.h"

#include <QCheckBox>
#include <QClipboard>
#include <QCloseEvent>
#include <QDialogButtonBox>
#include <QDir>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QVBoxLayout>

#include <memory>

namespace codalab::ui {

SubmitRunDialog::SubmitRunDialog(server::CodaLabClient *client, WorkerLink *worker,
    docker::DockerClient *docker, DesktopSettings *settings, QWidget *parent)
    : QDialog(parent)
    , m_client(client)
    , m_worker(worker)
    , m_settings(settings)
{
    setWindowTitle(tr("Submit a Run"));
    m_dependencies = new DependencyModel(this);
    m_resolver = new DependencyResolver(client, m_dependencies, this);
    auto *top = new QVBoxLayout(this);
    m_form = new RunForm(m_dependencies);
    top->addWidget(m_form, 1);
    buildFooter(top);
    if (m_settings) {
        m_form->imageBox()->setRecentImages(m_settings->recentImages());
    }
    m_form->imageBox()->loadLocalImages(docker);
    if (m_worker) {
        m_form->offerQueue(m_worker->status().value(QLatin1String("tag")).toString());
        connect(m_worker, &WorkerLink::statusChanged, this, [this](const QJsonObject &status) {
            m_form->offerQueue(status.value(QLatin1String("tag")).toString());
            updateFitCheck();
        });
        connect(m_worker, &WorkerLink::connectionChanged, this, &SubmitRunDialog::updateFitCheck);
    }
    connect(m_form, &RunForm::edited, this, &SubmitRunDialog::updateDerived);
    connect(m_form, &RunForm::worksheetChanged, m_resolver, &DependencyResolver::setWorksheet);
    // Which workers the server has for the user: a run another live worker takes does not "wait". Asked
    // now and then while the dialog is open, since workers come and go.
    m_workersTimer.setInterval(30000);
    connect(&m_workersTimer, &QTimer::timeout, this, &SubmitRunDialog::askServerWorkers);
    m_workersTimer.start();
    askServerWorkers();
    updateDerived();
    m_pristine = formText();
}

void SubmitRunDialog::askServerWorkers()
{
    if (m_workersJob || !m_client) {
        return;
    }
    m_workersJob = m_client->workersInfo();
    connect(m_workersJob, &server::ApiJob::finished, this, [this](const server::ApiResult &result) {
        // A server that does not tell (an error, an old server) leaves what was known.
        if (result.ok()) {
            m_serverWorkers = result.json.object().value(QLatin1String("data")).toArray();
            updateFitCheck();
        }
    });
}

SubmitRunDialog::~SubmitRunDialog()
{
    if (m_workersJob) {
        m_workersJob->cancel(); // nobody is left to read the answer
    }
}

void SubmitRunDialog::buildFooter(QVBoxLayout *top)
{
    m_fitLabel = new QLabel;
    m_fitLabel->setObjectName(QStringLiteral("fitCheck"));
    m_fitLabel->setWordWrap(true);
    m_fitLabel->setStyleSheet(
        QStringLiteral("QLabel { background: #fff4e5; color: #5d4000; border: 1px solid "
                       "#f0c36d; border-radius: 3px; padding: 6px; }"));
    m_fitLabel->hide();
    top->addWidget(m_fitLabel);

    auto *previewLabel = new QLabel(tr("Equivalent c&ommand line:"));
    m_preview = new QLineEdit;
    m_preview->setObjectName(QStringLiteral("preview"));
    m_preview->setReadOnly(true);
    m_preview->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    previewLabel->setBuddy(m_preview);
    auto *copy = new QPushButton(tr("Cop&y"));
    copy->setAutoDefault(false);
    copy->setToolTip(tr("Copy the cl run command to the clipboard"));
    connect(copy, &QPushButton::clicked, this,
        [this] { QGuiApplication::clipboard()->setText(m_preview->text()); });
    auto *previewRow = new QHBoxLayout;
    previewRow->addWidget(m_preview, 1);
    previewRow->addWidget(copy);
    top->addWidget(previewLabel);
    top->addLayout(previewRow);

    // The outputs can come home by themselves once the run ends (saved like Save… on the Bundles page).
    m_saveOutputs = new QCheckBox(tr("&When it finishes, save its outputs to:"));
    m_saveDir = new QLineEdit(QDir::homePath());
    m_saveDir->setEnabled(false);
    auto *browse = new QPushButton(tr("&Browse…"));
    browse->setAutoDefault(false);
    browse->setEnabled(false);
    connect(m_saveOutputs, &QCheckBox::toggled, m_saveDir, &QWidget::setEnabled);
    connect(m_saveOutputs, &QCheckBox::toggled, browse, &QWidget::setEnabled);
    connect(browse, &QPushButton::clicked, this, [this] {
        auto *dialog = new QFileDialog(this, tr("Save the outputs in"), m_saveDir->text());
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->setFileMode(QFileDialog::Directory);
        dialog->setOption(QFileDialog::ShowDirsOnly);
        connect(dialog, &QFileDialog::fileSelected, m_saveDir, &QLineEdit::setText);
        dialog->open();
    });
    auto *saveRow = new QHBoxLayout;
    saveRow->addWidget(m_saveOutputs);
    saveRow->addWidget(m_saveDir, 1);
    saveRow->addWidget(browse);
    top->addLayout(saveRow);

    m_status = new QLabel;
    m_status->setObjectName(QStringLiteral("status"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->hide();
    top->addWidget(m_status);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel);
    m_cancelButton = buttons->button(QDialogButtonBox::Cancel);
    m_cancelButton->setAutoDefault(false);
    m_submitButton = buttons->addButton(tr("&Submit"), QDialogButtonBox::ActionRole);
    // Accepting is submit()'s to decide, once the server has the run.
    connect(m_submitButton, &QPushButton::clicked, this, &SubmitRunDialog::submit);
    connect(buttons, &QDialogButtonBox::rejected, this, &SubmitRunDialog::reject);
    top->addWidget(buttons);
    // Only now, inside the dialog: a button made default before it has a dialog parent is forgotten, and
    // QDialog then picks the first auto-default button it finds (Cancel), so Enter threw the form away.
    m_submitButton->setDefault(true);
}

void SubmitRunDialog::updateDerived()
{
    m_preview->setText(request().toClCommand());
    m_preview->setCursorPosition(0);
    m_preview->setToolTip(m_preview->text()); // the whole line, however narrow the dialog
    updateFitCheck();
    // "Nothing was sent: correct …" is about the marks; once the last one is gone it no longer holds.
    if (m_problemsShown && m_form->marks().marked().isEmpty()) {
        showStatus({}, false);
    }
}

void SubmitRunDialog::setClusterQueues(const QList<ClusterQueue> &queues)
{
    m_clusters = queues;
    QList<std::pair<QString, QString>> choices;
    for (const ClusterQueue &q : queues) {
        choices.append({ q.tag, tr("Cluster %1").arg(q.name) });
    }
    m_form->setQueueChoices(choices);
    updateFitCheck();
}

void SubmitRunDialog::updateFitCheck()
{
    const server::RunRequest r = request();
    const auto target = std::find_if(m_clusters.cbegin(), m_clusters.cend(),
        [&r](const ClusterQueue &q) { return !r.queue.isEmpty() && q.tag == r.queue; });
    if (target != m_clusters.cend()) {
        // A run for the cluster is Slurm's to place: its partition's limits say whether it can start.
        m_fitWarnings.clear();
        if (!target->managerRunning) {
            m_fitWarnings << tr("The worker manager of cluster %1 is not running: the run waits until it "
                                "starts (Cluster page).")
                                 .arg(target->name);
        }
        if (target->partitionsKnown) {
            m_fitWarnings << cluster::ClusterFit::check(r, target->partitions, target->partition);
        } else if (!target->partitionsError.isEmpty()) {
            m_fitWarnings
                << tr("Cluster %1's limits are not known: %2").arg(target->name, target->partitionsError);
        }
    } else {
        m_fitWarnings = m_worker || m_serverWorkers
            ? FitCheck::check(r, m_worker ? m_worker->status() : QJsonObject(), m_serverWorkers)
            : QStringList();
    }
    QStringList lines;
    for (const QString &w : std::as_const(m_fitWarnings)) {
        lines << QStringLiteral("⚠ ") + w;
    }
    m_fitLabel->setText(lines.join(QLatin1Char('\n')));
    m_fitLabel->setVisible(!lines.isEmpty());
}

server::RunRequest SubmitRunDialog::request() const
{
    return m_form->request();
}

void SubmitRunDialog::setRequest(const server::RunRequest &request)
{
    m_form->setRequest(request);
    m_pristine = formText();
}

QString SubmitRunDialog::formText() const
{
    return request().toClCommand() + QLatin1Char('\n') + saveOutputsTo();
}

bool SubmitRunDialog::hasEdits() const
{
    return formText() != m_pristine;
}

QList<FieldMarks::Problem> SubmitRunDialog::problems() const
{
    return m_form->problems();
}

QStringList SubmitRunDialog::markedFields() const
{
    return m_form->marks().marked();
}

QString SubmitRunDialog::fieldMessage(const QString &field) const
{
    return m_form->marks().message(field);
}

void SubmitRunDialog::showStatus(const QString &text, bool error)
{
    m_problemsShown = false;
    m_status->setStyleSheet(error ? QStringLiteral("color: #c62828;") : QString());
    m_status->setText(text);
    m_status->setVisible(!text.isEmpty());
}

QString SubmitRunDialog::saveOutputsTo() const
{
    return m_saveOutputs->isChecked() ? m_saveDir->text().trimmed() : QString();
}

void SubmitRunDialog::setSubmitting(bool submitting)
{
    m_submitButton->setEnabled(!submitting);
    m_cancelButton->setEnabled(!submitting);
}

void SubmitRunDialog::reject()
{
    if (m_submission && m_submission->isUploading() && m_submission->cancel()) {
        showStatus(tr("Cancelling the upload…"), false);
        return; // finished() comes, as cancelled, and the dialog stays for another try
    }
    if (m_submission) {
        // Closing now (Esc, Cancel, the window's close button) would delete the dialog while the server
        // creates the run, and nobody would hear of it.
        showStatus(tr("Submitting… the dialog closes once the server has the run."), false);
        return;
    }
    if (hasEdits() && !m_discardConfirmed) {
        askDiscard();
        return;
    }
    QDialog::reject();
}

void SubmitRunDialog::askDiscard()
{
    if (m_discardQuestion) {
        m_discardQuestion->raise();
        return;
    }
    // Opened, not exec()'d: the dialog's own event loop keeps going (uploads, lookups) while it asks.
    auto *box = new QMessageBox(QMessageBox::Question, tr("Discard this run?"),
        tr("The run has not been submitted. Close the dialog and lose what you typed?"),
        QMessageBox::NoButton, this);
    box->setObjectName(QStringLiteral("discardQuestion"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    auto *discard = box->addButton(tr("&Discard"), QMessageBox::DestructiveRole);
    box->setDefaultButton(box->addButton(tr("&Keep editing"), QMessageBox::RejectRole));
    connect(box, &QMessageBox::finished, this, [this, box, discard] {
        if (box->clickedButton() == discard) {
            m_discardConfirmed = true;
            reject();
        }
    });
    m_discardQuestion = box;
    box->open();
}

void SubmitRunDialog::closeEvent(QCloseEvent *event)
{
    if (m_submission) {
        event->ignore();
        reject(); // says why
        return;
    }
    QDialog::closeEvent(event);
}

void SubmitRunDialog::submit()
{
    if (m_submission) {
        return;
    }
    const QList<FieldMarks::Problem> problems = m_form->problems();
    m_form->showProblems(problems);
    if (!problems.isEmpty()) {
        showStatus(tr("Nothing was sent: correct the marked fields first."), true);
        m_problemsShown = true;
        return;
    }
    const server::RunRequest r = request();
    setSubmitting(true);
    showStatus(tr("Submitting…"), false);
    auto *submission = new server::RunSubmission(m_client, r, m_client);
    submission->setUploadCache(m_uploadCache);
    m_submission = submission;
    connect(submission, &server::RunSubmission::finished, this,
        [this, submission, image = r.image](
            const server::ApiResult &result) { onSubmitted(result, submission->bundleUuid(), image); });
    // A local folder goes up first: say how far, and let Cancel stop it.
    connect(submission, &server::RunSubmission::uploadProgress, this,
        [this, rate = std::make_shared<util::TransferRate>(), clock = std::make_shared<QElapsedTimer>()](
            const QString &key, qint64 read, qint64 total) {
            if (!clock->isValid()) {
                clock->start();
            }
            rate->sample(read, clock->elapsed());
            const qint64 left = rate->secondsLeft(total);
            m_cancelButton->setEnabled(true);
            showStatus(tr("Uploading %1: %2%3")
                           .arg(key, Units::transferred(read, total),
                               left >= 0 ? tr(", %1 left").arg(Units::duration(left)) : QString()),
                false);
        });
    connect(submission, &server::RunSubmission::uploaded, this,
        [this](const QString &key, const QString &uuid, bool reused) {
            m_cancelButton->setEnabled(false);
            m_dependencies->setUploaded(key, uuid);
            showStatus(reused
                    ? tr("%1 is on the server already (unchanged since it was sent): using it.").arg(key)
                    : tr("Uploaded %1. Submitting…").arg(key),
                false);
        });
    submission->start();
}

void SubmitRunDialog::onSubmitted(const server::ApiResult &result, const QString &uuid, const QString &image)
{
    m_submission = nullptr;
    setSubmitting(false);
    if (result.error.kind == server::ApiError::Kind::Cancelled) {
        showStatus(tr("Cancelled: nothing was submitted, and the half-sent upload was removed."), false);
        return;
    }
    if (!result.ok() || uuid.isEmpty()) {
        const QString message = result.ok() ? tr("the server created no bundle") : result.error.message;
        if (message.startsWith(QLatin1String("Dependency "))) {
            m_form->marks().mark(QStringLiteral("dependencies"), message);
        }
        // Everything typed stays, so the user can correct it and submit again.
        showStatus(tr("The run was not submitted: %1").arg(message), true);
        return;
    }
    if (m_settings && !image.isEmpty()) {
        m_settings->addRecentImage(image);
    }
    showStatus({}, false);
    Q_EMIT submitted(uuid);
    accept();
}

} // namespace codalab::ui
