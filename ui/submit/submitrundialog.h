// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/clusterqueue.h"
#include "server/runrequest.h"
#include "server/runsubmission.h"
#include "submit/fieldmarks.h"

#include <QDialog>
#include <QJsonArray>
#include <QPointer>
#include <QTimer>

#include <optional>

class QCheckBox;
class QCloseEvent;
class QLabel;
class QLineEdit;
class QMessageBox;
class QPushButton;
class QVBoxLayout;

namespace codalab::docker {
class DockerClient;
}
namespace codalab::server {
class ApiJob;
class CodaLabClient;
class UploadCache;
struct ApiResult;
} // namespace codalab::server

namespace codalab::ui {

class DependencyModel;
class DependencyResolver;
class DesktopSettings;
class RunForm;
class WorkerLink;

/// The run-submission dialog: everything `cl run` takes, a live `cl run ...` preview that can be copied,
/// dependencies resolved against the server as they are typed, and a check of the run against the
/// desktop's own worker ("Asks for 2 GPUs; your worker has 1.").
///
/// Usage: construct with the server client and, when there are any, the worker link (fit check and the
/// default queue tag: the worker's own tag, so the run lands on this workstation), the Docker client (local
/// images) and the settings (recent images). setRequest() prefills it for a rerun; request() is what the
/// form says. Submit checks everything first: invalid fields are marked where they are, focus goes to
/// the first, and nothing is sent. Otherwise the run is submitted (RunSubmission); on success the image
/// is remembered, submitted(uuid) fires and the dialog accepts; a server error is shown in the dialog
/// with everything typed kept. While a submission is in flight the dialog cannot be cancelled or closed
/// (Cancel is disabled, Esc and the window's close button are refused): it closes once the server answers.
class SubmitRunDialog : public QDialog
{
    Q_OBJECT
public:
    SubmitRunDialog(server::CodaLabClient *client, WorkerLink *worker, docker::DockerClient *docker,
        DesktopSettings *settings, QWidget *parent = nullptr);
    ~SubmitRunDialog() override;

    void setRequest(const server::RunRequest &request);
    server::RunRequest request() const;

    /// Every problem of the form, each as {field, message} (field as in RunRequest::validate(), or
    /// "image", "dependencies"); empty when it can be sent.
    QList<FieldMarks::Problem> problems() const;
    /// The fields marked invalid by the last submit attempt.
    QStringList markedFields() const;
    /// The message under a marked field; empty when it is not marked.
    QString fieldMessage(const QString &field) const;
    QStringList fitWarnings() const { return m_fitWarnings; }
    DependencyModel *dependencyModel() const { return m_dependencies; }
    DependencyResolver *dependencyResolver() const { return m_resolver; }
    bool isSubmitting() const { return m_submission != nullptr; }
    /// Whether anything differs from how the dialog opened (or from the request setRequest() gave it):
    /// closing it then asks first ("Discard" / "Keep editing").
    bool hasEdits() const;
    /// Where local folders that were already sent are remembered (not owned); none: always upload.
    void setUploadCache(server::UploadCache *cache) { m_uploadCache = cache; }
    /// The Slurm clusters the desktop manages: their tags are offered beside this workstation's, and a run
    /// for one is checked against its partition's limits (sinfo) instead of this worker. Call again when
    /// they change.
    void setClusterQueues(const QList<ClusterQueue> &queues);
    RunForm *form() const { return m_form; }
    /// "When it finishes, save its outputs to": the folder, or empty when not asked.
    QString saveOutputsTo() const;
    QCheckBox *saveOutputsBox() const { return m_saveOutputs; }
    QLineEdit *saveOutputsEdit() const { return m_saveDir; }

public Q_SLOTS:
    void submit();
    /// Refused while a submission is in flight: the server may be creating the run, and only this dialog
    /// would learn its uuid. The dialog accepts on its own once the server answers.
    void reject() override;

Q_SIGNALS:
    void submitted(const QString &bundleUuid);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void buildFooter(QVBoxLayout *top);
    void updateDerived();
    QString formText() const;
    void askServerWorkers();
    void askDiscard();
    void updateFitCheck();
    void showStatus(const QString &text, bool error);
    void setSubmitting(bool submitting);
    void onSubmitted(const server::ApiResult &result, const QString &uuid, const QString &image);

    server::CodaLabClient *m_client;
    WorkerLink *m_worker;
    DesktopSettings *m_settings;

    DependencyModel *m_dependencies = nullptr;
    DependencyResolver *m_resolver = nullptr;
    RunForm *m_form = nullptr;
    QLabel *m_fitLabel = nullptr;
    QLineEdit *m_preview = nullptr;
    QLabel *m_status = nullptr;
    QPushButton *m_submitButton = nullptr;
    QPushButton *m_cancelButton = nullptr;
    QCheckBox *m_saveOutputs = nullptr;
    QLineEdit *m_saveDir = nullptr;
    server::UploadCache *m_uploadCache = nullptr;
    QStringList m_fitWarnings;
    QPointer<server::RunSubmission> m_submission;
    QString m_pristine; ///< formText() as the dialog opened
    bool m_discardConfirmed = false;
    bool m_problemsShown = false; ///< the status line says to correct the marked fields
    QPointer<QMessageBox> m_discardQuestion;
    QTimer m_workersTimer;
    QPointer<server::ApiJob> m_workersJob;
    std::optional<QJsonArray> m_serverWorkers; ///< /rest/workers/info's data, once the server told
    QList<ClusterQueue> m_clusters;
};

} // namespace codalab::ui
