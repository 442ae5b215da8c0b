// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QComboBox>
#include <QPointer>

namespace codalab::docker {
class DockerClient;
class DockerReply;
} // namespace codalab::docker

namespace codalab::ui {

/// The Docker image of a run: an editable combo box offering "(server default)", the images used
/// recently and the images of the local Docker daemon, any other name typed in.
///
/// Usage: setRecentImages() from DesktopSettings; loadLocalImages() asks the daemon once and adds its
/// tags when the answer comes (localImagesLoaded() then fires; what the user typed meanwhile is kept).
/// image() is empty for the server's default.
class ImageComboBox : public QComboBox
{
    Q_OBJECT
public:
    explicit ImageComboBox(QWidget *parent = nullptr);
    ~ImageComboBox() override;

    void setRecentImages(const QStringList &images);
    void loadLocalImages(docker::DockerClient *docker);
    /// The typed or chosen image; empty for "(server default)".
    QString image() const;
    void setImage(const QString &image);
    /// The images offered, in order, without the default entry.
    QStringList offeredImages() const;

Q_SIGNALS:
    void localImagesLoaded();

private:
    /// Adds `images` not offered yet after a separator, keeping the text being edited.
    void addGroup(const QStringList &images);

    QPointer<docker::DockerReply> m_reply;
};

} // namespace codalab::ui
