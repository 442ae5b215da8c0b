// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QPointer>
#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTableView;

namespace codalab::docker {
class DockerClient;
class DockerReply;
} // namespace codalab::docker

namespace codalab::ui {

class ImageListModel;

/// The Docker engine this machine runs CodaLab containers with: version and socket (or why it cannot
/// be reached), the local images, and a one-click check that runs a container with no network.
class DockerPanel : public QWidget
{
    Q_OBJECT
public:
    explicit DockerPanel(docker::DockerClient *client, QWidget *parent = nullptr);

    /// Asks the engine again; a refresh already under way is not doubled.
    void refresh();
    /// Runs DockerSelfCheck with the selected image (or the first one).
    void runCheck();

    ImageListModel *imageModel() const { return m_images; }
    QString statusText() const;
    QString checkOutput() const;

Q_SIGNALS:
    void refreshed();
    void checkFinished(bool ok);

private:
    void setEngineState(bool ok, const QString &headline, const QString &detail);
    QString selectedImage() const;

    docker::DockerClient *m_client;
    ImageListModel *m_images;
    QLabel *m_icon;
    QLabel *m_headline;
    QLabel *m_detail;
    QPushButton *m_refreshButton;
    QPushButton *m_checkButton;
    QTableView *m_table;
    QPlainTextEdit *m_output;
    QPointer<docker::DockerReply> m_versionReply;
    QPointer<docker::DockerReply> m_imagesReply;
    bool m_checkRunning = false;
};

} // namespace codalab::ui
