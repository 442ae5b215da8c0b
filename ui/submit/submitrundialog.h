// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/runrequest.h"
#include "server/runsubmission.h"
#include "submit/fieldmarks.h"

#include <QDialog>
#include <QPointer>

class QCheckBox;
class QDialogButtonBox;
class QGridLayout;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QVBoxLayout;

namespace codalab::docker {
class DockerClient;
}
namespace codalab::server {
class CodaLabClient;
struct ApiResult;
} // namespace codalab::server

namespace codalab::ui {

class DependencyEditor;
class DependencyModel;
class DependencyResolver;
class DesktopSettings;
class ImageComboBox;
class PrioritySpinBox;
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
/// with everything typed kept.
class SubmitRunDialog : public QDialog
{
    Q_OBJECT
public:
    SubmitRunDialog(server::CodaLabClient *client, WorkerLink *worker, docker::DockerClient *docker,
        DesktopSettings *settings, QWidget *parent = nullptr);
    ~SubmitRunDialog() override;

    void setRequest(const server::RunRequest &request);
    server::RunRequest request() const;

    /// Every problem of the form, each as "field: message" (field as in RunRequest::validate() and
    /// "image", "dependencies"); empty when it can be sent.
    QStringList problems() const;
    /// The fields marked invalid by the last submit attempt.
    QStringList markedFields() const { return m_marks.marked(); }
    /// The message under a marked field; empty when it is not marked.
    QString fieldMessage(const QString &field) const { return m_marks.message(field); }
    QStringList fitWarnings() const { return m_fitWarnings; }
    DependencyModel *dependencyModel() const { return m_dependencies; }
    DependencyResolver *dependencyResolver() const { return m_resolver; }
    bool isSubmitting() const { return m_submission != nullptr; }

public Q_SLOTS:
    void submit();

Q_SIGNALS:
    void submitted(const QString &bundleUuid);

private:
    QLabel *labelFor(const QString &text, QWidget *input);
    static QGridLayout *formGrid(QGroupBox *group);
    static void addGridRow(QGridLayout *grid, QLabel *label, QWidget *field);
    void buildForm();
    QGroupBox *buildResources();
    QGroupBox *buildDetails();
    void buildFooter(QVBoxLayout *top);
    void watchEdits();
    void updateDerived();
    void updateFitCheck();
    void showStatus(const QString &text, bool error);
    void onSubmitted(const server::ApiResult &result, const QString &uuid, const QString &image);

    server::CodaLabClient *m_client;
    WorkerLink *m_worker;
    DesktopSettings *m_settings;
    server::RunRequest m_base; ///< what the form does not show (exclude patterns) comes from here
    bool m_queueTouched = false;

    QPlainTextEdit *m_command = nullptr;
    ImageComboBox *m_image = nullptr;
    QLineEdit *m_queue = nullptr;
    QSpinBox *m_cpus = nullptr;
    QSpinBox *m_gpus = nullptr;
    QLineEdit *m_memory = nullptr;
    QLineEdit *m_disk = nullptr;
    QLineEdit *m_time = nullptr;
    QCheckBox *m_network = nullptr;
    QCheckBox *m_allowFailed = nullptr;
    PrioritySpinBox *m_priority = nullptr;
    QLineEdit *m_worksheet = nullptr;
    QLineEdit *m_name = nullptr;
    QLineEdit *m_description = nullptr;
    QLineEdit *m_tags = nullptr;
    DependencyEditor *m_dependencyEditor = nullptr;
    DependencyModel *m_dependencies = nullptr;
    DependencyResolver *m_resolver = nullptr;
    QLabel *m_fitLabel = nullptr;
    QLineEdit *m_preview = nullptr;
    QLabel *m_status = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
    QPushButton *m_submitButton = nullptr;
    FieldMarks m_marks;
    QList<QLabel *> m_labels; ///< the first label column of every group
    QStringList m_fitWarnings;
    QPointer<server::RunSubmission> m_submission;
};

} // namespace codalab::ui
