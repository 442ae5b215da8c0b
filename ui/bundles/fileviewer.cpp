// SPDX-License-Identifier: GPL-3.0-or-later
#include "bundles/fileviewer.h"

#include "logs/logview.h"
#include "logs/remotelogsource.h"

#include <QDialogButtonBox>
#include <QVBoxLayout>

#include <memory>

namespace codalab::ui {

FileViewer::FileViewer(server::CodaLabClient *client, const QString &uuid, const QString &path,
    const QString &title, QWidget *parent)
    : QDialog(parent)
    , m_view(new LogView(this))
{
    setWindowTitle(title);
    setAttribute(Qt::WA_DeleteOnClose);
    // A finished bundle's file does not grow: read it once, not every few seconds.
    m_view->setPollIntervalMs(30000);
    m_view->setMissingText(tr("%1 is not in the bundle.").arg(path));
    m_view->setSource(new RemoteLogSource(client, uuid, path));
    // A file is read from its top (a log view starts at the end, following).
    auto once = std::make_shared<QMetaObject::Connection>();
    *once = connect(m_view, &LogView::sizeChanged, this, [this, once] {
        disconnect(*once);
        m_view->jumpToStart();
    });
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_view);
    layout->addWidget(buttons);
    resize(860, 560);
}

} // namespace codalab::ui
