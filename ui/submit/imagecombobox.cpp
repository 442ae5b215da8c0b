// SPDX-License-Identifier: GPL-3.0-or-later
#include "submit/imagecombobox.h"

#include "docker/dockerclient.h"
#include "docker/imageinfo.h"

#include <QCompleter>
#include <QJsonArray>
#include <QLineEdit>

namespace codalab::ui {

ImageComboBox::ImageComboBox(QWidget *parent)
    : QComboBox(parent)
{
    setEditable(true);
    setInsertPolicy(QComboBox::NoInsert);
    // Inline completion would silently append the rest of a longer name to what was typed.
    completer()->setCompletionMode(QCompleter::PopupCompletion);
    completer()->setCaseSensitivity(Qt::CaseSensitive);
    addItem(tr("(server default)"));
    lineEdit()->setPlaceholderText(tr("(server default)"));
    setToolTip(tr("A Docker image such as python:3.12; empty: the server's default image"));
}

ImageComboBox::~ImageComboBox()
{
    if (m_reply) {
        m_reply->cancel();
    }
}

void ImageComboBox::setRecentImages(const QStringList &images)
{
    addGroup(images);
}

void ImageComboBox::loadLocalImages(docker::DockerClient *docker)
{
    if (!docker || m_reply) {
        return;
    }
    m_reply = docker->listImages();
    connect(m_reply, &docker::DockerReply::finished, this, [this](const docker::DockerResult &result) {
        QStringList tags;
        // A daemon that is down only means there is nothing local to offer.
        if (result.ok()) {
            for (const QJsonValue &entry : result.json.array()) {
                for (const QString &tag : docker::ImageInfo::fromListEntry(entry.toObject()).userTags()) {
                    if (!tag.startsWith(QLatin1String("<none>"))) {
                        tags << tag;
                    }
                }
            }
        }
        tags.sort();
        addGroup(tags);
        Q_EMIT localImagesLoaded();
    });
}

QString ImageComboBox::image() const
{
    const QString text = currentText().trimmed();
    return text == itemText(0) ? QString() : text;
}

void ImageComboBox::setImage(const QString &image)
{
    if (image.trimmed().isEmpty()) {
        setCurrentIndex(0);
        return;
    }
    const int index = findText(image.trimmed());
    if (index >= 0) {
        setCurrentIndex(index);
    } else {
        setEditText(image.trimmed());
    }
}

QStringList ImageComboBox::offeredImages() const
{
    QStringList out;
    for (int i = 1; i < count(); ++i) {
        if (!itemText(i).isEmpty()) { // separators have no text
            out << itemText(i);
        }
    }
    return out;
}

void ImageComboBox::addGroup(const QStringList &images)
{
    const QStringList offered = offeredImages();
    QStringList fresh;
    for (const QString &image : images) {
        if (!image.isEmpty() && !offered.contains(image) && !fresh.contains(image)) {
            fresh << image;
        }
    }
    if (fresh.isEmpty()) {
        return;
    }
    const QString typed = currentText();
    const bool wasDefault = currentIndex() == 0 && typed == itemText(0);
    insertSeparator(count());
    addItems(fresh);
    if (!wasDefault) {
        setEditText(typed);
    }
}

} // namespace codalab::ui
