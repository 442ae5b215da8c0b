// SPDX-License-Identifier: GPL-3.0-or-later
#include "bundles/uploaddialog.h"

#include "server/uploadsource.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QVBoxLayout>

namespace codalab::ui {

UploadDialog::UploadDialog(const QString &worksheetUuid, const QString &worksheetName, QWidget *parent)
    : QDialog(parent)
    , m_worksheet(worksheetUuid)
    , m_list(new QListWidget(this))
    , m_name(new QLineEdit(this))
    , m_description(new QPlainTextEdit(this))
    , m_tags(new QLineEdit(this))
    , m_pack(new QCheckBox(tr("&Keep archives packed (.zip, .tar.gz… stay one file)"), this))
    , m_problem(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("Upload to %1").arg(worksheetName));
    setAcceptDrops(true);
    setWindowModality(Qt::WindowModal);
    m_list->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_list->setMinimumHeight(90);
    auto *addFiles = new QPushButton(tr("Add &files…"), this);
    auto *addFolder = new QPushButton(tr("Add f&older…"), this);
    auto *remove = new QPushButton(tr("&Remove"), this);
    connect(addFiles, &QPushButton::clicked, this, [this] {
        auto *dialog = new QFileDialog(this, tr("Files to upload"));
        dialog->setFileMode(QFileDialog::ExistingFiles);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(dialog, &QFileDialog::filesSelected, this, &UploadDialog::addPaths);
        dialog->open();
    });
    connect(addFolder, &QPushButton::clicked, this, [this] {
        auto *dialog = new QFileDialog(this, tr("Folder to upload"));
        dialog->setFileMode(QFileDialog::Directory);
        dialog->setOption(QFileDialog::ShowDirsOnly);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(dialog, &QFileDialog::fileSelected, this, [this](const QString &dir) { addPaths({ dir }); });
        dialog->open();
    });
    connect(remove, &QPushButton::clicked, this, [this] {
        qDeleteAll(m_list->selectedItems());
        update();
    });
    auto *pathButtons = new QVBoxLayout;
    pathButtons->addWidget(addFiles);
    pathButtons->addWidget(addFolder);
    pathButtons->addWidget(remove);
    pathButtons->addStretch();
    auto *paths = new QHBoxLayout;
    paths->addWidget(m_list, 1);
    paths->addLayout(pathButtons);

    m_description->setPlaceholderText(tr("What it holds, where it comes from"));
    m_description->setMaximumHeight(70);
    m_tags->setPlaceholderText(tr("Separated by spaces"));
    m_problem->setStyleSheet(QStringLiteral("color: #b00020;"));
    m_problem->setWordWrap(true);
    QPushButton *upload = m_buttons->addButton(tr("&Upload"), QDialogButtonBox::AcceptRole);
    upload->setDefault(true);

    auto *form = new QFormLayout;
    form->addRow(tr("Files and folders:"), paths);
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("&Description:"), m_description);
    form->addRow(tr("&Tags:"), m_tags);
    form->addRow(QString(), m_pack);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("Drop files or folders here, or add them with the buttons."), this));
    layout->addLayout(form);
    layout->addWidget(m_problem);
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_buttons, &QDialogButtonBox::accepted, this, [this] {
        if (!problem().isEmpty()) {
            update();
            return;
        }
        Q_EMIT uploadRequested(request());
        accept();
    });
    connect(m_name, &QLineEdit::textChanged, this, &UploadDialog::update);
    connect(m_pack, &QCheckBox::toggled, this, &UploadDialog::update);
    resize(560, 420);
    update();
}

void UploadDialog::addPaths(const QStringList &paths)
{
    for (const QString &path : paths) {
        const QString clean = QFileInfo(path).absoluteFilePath();
        if (m_list->findItems(clean, Qt::MatchExactly).isEmpty()) {
            auto *item = new QListWidgetItem(QFileInfo(clean).isDir()
                    ? QIcon::fromTheme(QStringLiteral("folder"))
                    : QIcon::fromTheme(QStringLiteral("text-x-generic")),
                clean, m_list);
            item->setToolTip(clean);
        }
    }
    update();
}

QStringList UploadDialog::paths() const
{
    QStringList out;
    for (int i = 0; i < m_list->count(); ++i) {
        out << m_list->item(i)->text();
    }
    return out;
}

server::UploadRequest UploadDialog::request() const
{
    server::UploadRequest r;
    r.paths = paths();
    r.pack = m_pack->isChecked();
    r.worksheetUuid = m_worksheet;
    r.name = m_name->text().trimmed().isEmpty() ? server::UploadSource::defaultNameFor(r.paths, r.pack)
                                                : m_name->text().trimmed();
    r.description = m_description->toPlainText().trimmed();
    r.tags = m_tags->text().split(QRegularExpression(QStringLiteral("[\\s,]+")), Qt::SkipEmptyParts);
    return r;
}

QString UploadDialog::problem() const
{
    if (m_list->count() == 0) {
        return tr("Add a file or a folder to upload.");
    }
    static const QRegularExpression valid(QStringLiteral("^[a-zA-Z_][a-zA-Z0-9_.\\-]*$"));
    const QString name = m_name->text().trimmed();
    if (!name.isEmpty() && !valid.match(name).hasMatch()) {
        return tr("A bundle name starts with a letter or _ and holds only letters, digits, _ . and -.");
    }
    return {};
}

void UploadDialog::update()
{
    m_name->setPlaceholderText(m_list->count()
            ? server::UploadSource::defaultNameFor(paths(), m_pack->isChecked())
            : tr("From the files"));
    const QString why = problem();
    // Say why only once there is something to say it about.
    m_problem->setText(m_list->count() ? why : QString());
    for (QAbstractButton *b : m_buttons->buttons()) {
        if (m_buttons->buttonRole(b) == QDialogButtonBox::AcceptRole) {
            b->setEnabled(why.isEmpty());
        }
    }
}

void UploadDialog::dragEnterEvent(QDragEnterEvent *event)
{
    if (event->mimeData()->hasUrls()) {
        event->acceptProposedAction();
    }
}

void UploadDialog::dropEvent(QDropEvent *event)
{
    QStringList dropped;
    for (const QUrl &url : event->mimeData()->urls()) {
        if (url.isLocalFile()) {
            dropped << url.toLocalFile();
        }
    }
    addPaths(dropped);
    event->acceptProposedAction();
}

} // namespace codalab::ui
