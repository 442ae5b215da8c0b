// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QWidget>

#include <functional>

class QLabel;
class QStackedWidget;

namespace codalab::ui {

/// What one run bundle is and did, from its resource as the REST API returns it: uuid, name, state,
/// command, image, queue, requested resources, created/started/ended times, run time, exit code, the
/// worker it ran on, and on top, prominently, why a staged run waits (`staged_status`) or why it failed.
///
/// Usage: setBundle(resource) whenever the selected run or its data changes; setBundle({}) shows a hint.
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
        FieldCount
    };

    explicit RunDetailsPanel(QWidget *parent = nullptr);

    void setBundle(const QJsonObject &bundle);
    QJsonObject bundle() const { return m_bundle; }
    /// Seconds since the epoch, for the ages next to the times (tests fix it).
    void setClock(std::function<qint64()> nowSecs);

    QString fieldText(Field field) const;
    /// The banner: why a staged run waits, why a run failed; empty when hidden.
    QString noticeText() const;

private:
    void showNotice(const QString &title, const QString &text, bool error);
    QString timeText(const QJsonValue &secs) const;

    QJsonObject m_bundle;
    std::function<qint64()> m_now;
    QStackedWidget *m_pages;
    QLabel *m_placeholder;
    QWidget *m_content;
    QLabel *m_notice;
    QString m_noticeText;
    QLabel *m_values[FieldCount] = {};
};

} // namespace codalab::ui
