// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QPointer>
#include <QWidget>

#include <functional>
#include <optional>

class QLabel;
class QPushButton;
class QStackedWidget;

namespace codalab::ui {

class UserNames;

/// What one run bundle is and did, from its resource as the REST API returns it: uuid, name, owner, state,
/// command, dependencies, image, queue, requested resources, created/started/ended times, run time, exit
/// code, the worker it ran on, and on top, prominently, why a staged run waits (`staged_status`, or this
/// computer's worker when it is paused, snoozed or draining and would take the run) or why it failed or
/// was killed (`failure_message`).
///
/// Usage: setBundle(resource) whenever the selected run or its data changes; setBundle({}) shows a hint.
/// setWorkerStatus() with every status of this computer's worker; resumeWorkerRequested() asks for the
/// worker to be resumed (the Resume button shown when it holds the run). setUserNames() names owners;
/// refreshTimes() when the clock moved on (the ages and a running run's time).
class RunDetailsPanel : public QWidget
{
    Q_OBJECT
public:
    enum Field {
        UuidField,
        NameField,
        StateField,
        CommandField,
        ImageField,
        QueueField,
        ResourcesField,
        CreatedField,
        StartedField,
        EndedField,
        RunTimeField,
        ExitCodeField,
        WorkerField,
        OwnerField,
        DependenciesField,
        FieldCount
    };

    explicit RunDetailsPanel(QWidget *parent = nullptr);

    void setBundle(const QJsonObject &bundle);
    QJsonObject bundle() const { return m_bundle; }
    /// This computer's worker's status (WorkerLink::status()), {} when none runs.
    void setWorkerStatus(const QJsonObject &status);
    /// Where owner ids are turned into names; null shows the ids.
    void setUserNames(UserNames *names);
    /// Seconds since the epoch, for the ages next to the times (tests fix it).
    void setClock(std::function<qint64()> nowSecs);
    /// The clock moved on: the times are written again (nothing else, so a selection in the other fields
    /// stays).
    void refreshTimes();

    QString fieldText(Field field) const;
    /// The banner: why a staged run waits, why a run failed or was killed; empty when hidden.
    QString noticeText() const;
    /// The notice's Resume button, shown when this computer's worker holds the run.
    QPushButton *resumeButton() const { return m_resume; }

Q_SIGNALS:
    void resumeWorkerRequested();

private:
    void showNotice(const QString &title, const QString &text, bool error, bool offerResume = false);
    void updateNotice();
    void updateOwner();
    void updateTimes();
    QString timeText(std::optional<qint64> secs) const;

    QJsonObject m_bundle;
    QJsonObject m_workerStatus;
    QPointer<UserNames> m_names;
    std::function<qint64()> m_now;
    QStackedWidget *m_pages;
    QLabel *m_placeholder;
    QWidget *m_content;
    QWidget *m_noticeBox;
    QLabel *m_notice;
    QPushButton *m_resume;
    QString m_noticeText;
    QLabel *m_values[FieldCount] = {};
};

} // namespace codalab::ui
