// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/runrequest.h"
#include "submit/fieldmarks.h"

#include <QList>
#include <QWidget>

class QCheckBox;
class QGridLayout;
class QGroupBox;
class QLabel;
class QMenu;
class QLineEdit;
class QPlainTextEdit;
class QSpinBox;

namespace codalab::ui {

class DependencyEditor;
class DependencyModel;
class ImageComboBox;
class PrioritySpinBox;

/// The fields of the run-submission dialog in three groups (Run, Resources, Bundle), each with its
/// invalid-field mark, and the RunRequest they stand for.
///
/// Usage: construct over the dialog's dependency model and put it in the dialog's layout. request() is
/// what the fields say; setRequest() fills them (a rerun). edited() fires on every change of a field,
/// worksheetChanged() when the worksheet field changes (dependencies resolve on it). problems() lists
/// what keeps the form from being sent, as {field, message}; showProblems() marks them where they are
/// and focuses the first. offerQueue() fills the queue tag unless the user or a rerun chose one.
class RunForm : public QWidget
{
    Q_OBJECT
public:
    explicit RunForm(DependencyModel *dependencies, QWidget *parent = nullptr);
    ~RunForm() override;

    server::RunRequest request() const;
    void setRequest(const server::RunRequest &request);
    void offerQueue(const QString &tag);
    /// The tags the queue field's menu offers besides this workstation's: {tag, what it is} ("Cluster lab").
    void setQueueChoices(const QList<std::pair<QString, QString>> &choices);
    /// The queue field's menu as it would open now (tests read it): "This workstation — tag …" first.
    QMenu *queueMenu();
    ImageComboBox *imageBox() const { return m_image; }

    QList<FieldMarks::Problem> problems() const;
    void showProblems(const QList<FieldMarks::Problem> &problems);
    FieldMarks &marks() { return m_marks; }
    const FieldMarks &marks() const { return m_marks; }

Q_SIGNALS:
    void edited();
    void worksheetChanged(const QString &spec);

private:
    QLabel *labelFor(const QString &text, QWidget *input);
    static QGridLayout *formGrid(QGroupBox *group);
    static void addGridRow(QGridLayout *grid, QLabel *label, QWidget *field);
    QGroupBox *buildRun();
    QGroupBox *buildResources();
    QGroupBox *buildDetails();
    void watchEdits();

    DependencyModel *m_dependencies;
    server::RunRequest m_base; ///< what the form does not show (exclude patterns) comes from here
    bool m_queueTouched = false;
    QString m_workstationTag; ///< the last tag offerQueue() was given
    QList<std::pair<QString, QString>> m_queueChoices;
    QMenu *m_queueMenu = nullptr;

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
    FieldMarks m_marks;
    QList<QLabel *> m_labels; ///< the first label column of every group
};

} // namespace codalab::ui
