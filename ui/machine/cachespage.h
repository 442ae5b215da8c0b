// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QPointer>
#include <QTimer>
#include <QWidget>

class QLabel;
class QMessageBox;
class QPushButton;
class QTableView;

namespace codalab::ui {

class CacheModel;
class UsageBar;
class WorkerLink;

/// The worker's dependency cache and Docker images: each entry (CacheModel) with its size, last use and
/// whether a run uses it, the totals against the worker's caps, and "Clean now…", which, once confirmed,
/// asks the worker (`cleanCaches`) to remove at once everything no run uses — never an entry in use, a
/// download under way or an image the worker did not pull — and says what it removed and freed.
///
/// Usage: construct with the desktop's WorkerLink. The page asks the worker for its caches (`caches`) when
/// shown, when the totals in its status change and every refreshIntervalMs() while visible; refreshed()
/// follows each answer. cleanNow() opens the window-modal confirmation; cleaned() carries the worker's
/// answer.
class CachesPage : public QWidget
{
    Q_OBJECT
public:
    explicit CachesPage(WorkerLink *link, QWidget *parent = nullptr);
    ~CachesPage() override;

    CacheModel *cacheModel() const { return m_model; }
    void setRefreshIntervalMs(int ms) { m_timer.setInterval(ms); }

    void refresh();
    /// Asks for confirmation, then cleans.
    void cleanNow();

    /// "1 entry(ies), 2 KiB of 10 GiB"
    QString dependenciesText() const;
    /// "1 image(s), 4.1 MiB (no limit)": of the images the worker pulled.
    QString imagesText() const;
    /// What the last clean removed, or why it failed.
    QString resultText() const;
    bool showsEmptyState() const;

Q_SIGNALS:
    void refreshed();
    void cleaned(const QJsonObject &result);

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void onCaches(const QJsonObject &caches);
    void onStatus(const QJsonObject &status);
    void clean();

    WorkerLink *m_link;
    CacheModel *m_model;
    QLabel *m_empty;
    QWidget *m_content;
    UsageBar *m_dependencyBar;
    UsageBar *m_imageBar;
    QTableView *m_view;
    QLabel *m_result;
    QPushButton *m_refreshButton;
    QPushButton *m_cleanButton;
    QPointer<QMessageBox> m_confirm;
    QTimer m_timer;
    QJsonObject m_lastTotals;
    bool m_inFlight = false;
};

} // namespace codalab::ui
