// SPDX-License-Identifier: GPL-3.0-or-later
#include "submit/submitrundialog.h"

#include "common/desktopsettings.h"
#include "common/workerlink.h"
#include "server/codalabclient.h"
#include "server/runsubmission.h"
#include "submit/dependencyeditor.h"
#include "submit/dependencymodel.h"
#include "submit/dependencyresolver.h"
#include "submit/fitcheck.h"
#include "submit/imagecombobox.h"
#include "submit/priorityspinbox.h"

#include <QCheckBox>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QGridLayout>
#include <QGroupBox>
#include <QGuiApplication>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QTableView>
#include <QVBoxLayout>

namespace codalab::ui {

namespace {

QLineEdit *lineEdit(const QString &placeholder, const QString &toolTip)
{
    auto *edit = new QLineEdit;
    edit->setPlaceholderText(placeholder);
    edit->setToolTip(toolTip);
    edit->setClearButtonEnabled(true);
    return edit;
}

} // namespace

SubmitRunDialog::SubmitRunDialog(server::CodaLabClient *client, WorkerLink *worker,
    docker::DockerClient *docker, DesktopSettings *settings, QWidget *parent)
    : QDialog(parent)
    , m_client(client)
    , m_worker(worker)
    , m_settings(settings)
{
    setWindowTitle(tr("Submit a Run"));
    m_dependencies = new DependencyModel(this);
    m_resolver = new DependencyResolver(client, m_dependencies, this);
    buildForm();
    if (m_settings) {
        m_image->setRecentImages(m_settings->recentImages());
    }
    m_image->loadLocalImages(docker);
    if (m_worker) {
        m_queue->setText(m_worker->status().value(QLatin1String("tag")).toString());
        connect(m_worker, &WorkerLink::statusChanged, this, [this](const QJsonObject &status) {
            // A worker that answers only now still gives its tag, unless the user chose one.
            if (!m_queueTouched && m_queue->text().isEmpty()) {
                m_queue->setText(status.value(QLatin1String("tag")).toString());
            }
            updateFitCheck();
        });
        connect(m_worker, &WorkerLink::connectionChanged, this, &SubmitRunDialog::updateFitCheck);
    }
    watchEdits();
    updateDerived();
}

SubmitRunDialog::~SubmitRunDialog() = default;

QLabel *SubmitRunDialog::labelFor(const QString &text, QWidget *input)
{
    auto *label = new QLabel(text);
    label->setBuddy(input);
    // As tall as the input's first line and centred on it, so it stays there when a message shows below.
    label->setMinimumHeight(input->sizeHint().height());
    label->setAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_labels.append(label);
    return label;
}

QGridLayout *SubmitRunDialog::formGrid(QGroupBox *group)
{
    auto *grid = new QGridLayout(group);
    grid->setHorizontalSpacing(10);
    grid->setColumnStretch(1, 1);
    return grid;
}

void SubmitRunDialog::addGridRow(QGridLayout *grid, QLabel *label, QWidget *field)
{
    // A grid rather than a QFormLayout: that centres a label on a tall field instead of on its first line.
    const int row = grid->rowCount();
    grid->addWidget(label, row, 0, Qt::AlignLeft | Qt::AlignTop);
    grid->addWidget(field, row, 1, Qt::AlignTop);
}

void SubmitRunDialog::buildForm()
{
    setStyleSheet(FieldMarks::styleSheet());
    auto *top = new QVBoxLayout(this);

    auto *run = new QGroupBox(tr("Run"));
    auto *main = formGrid(run);
    m_command = new QPlainTextEdit;
    m_command->setObjectName(QStringLiteral("command"));
    m_command->setTabChangesFocus(true);
    m_command->setPlaceholderText(tr("python train.py --epochs 10"));
    m_command->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_command->setFixedHeight(QFontMetrics(m_command->font()).lineSpacing() * 3 + 12);
    m_image = new ImageComboBox;
    m_image->setObjectName(QStringLiteral("image"));
    auto *commandLabel = labelFor(tr("&Command:"), m_command);
    commandLabel->setMinimumHeight(m_image->sizeHint().height()); // the first line, not the whole box
    addGridRow(main, commandLabel, m_marks.add(QStringLiteral("command"), m_command));
    addGridRow(main, labelFor(tr("&Image:"), m_image), m_marks.add(QStringLiteral("image"), m_image));
    m_dependencyEditor = new DependencyEditor(m_dependencies);
    auto *dependencyLabel = labelFor(tr("&Dependencies:"), m_dependencyEditor->view());
    dependencyLabel->setMinimumHeight(m_image->sizeHint().height());
    addGridRow(main, dependencyLabel, m_marks.add(QStringLiteral("dependencies"), m_dependencyEditor));
    m_marks.setMarkedWidget(QStringLiteral("dependencies"), m_dependencyEditor->view());
    top->addWidget(run, 1);
    top->addWidget(buildResources());
    top->addWidget(buildDetails());
    // One label column for the three groups, so their fields line up.
    int width = 0;
    for (QLabel *label : std::as_const(m_labels)) {
        width = qMax(width, label->sizeHint().width());
    }
    for (QLabel *label : std::as_const(m_labels)) {
        label->setMinimumWidth(width);
    }
    buildFooter(top);
}

QGroupBox *SubmitRunDialog::buildResources()
{
    auto *resources = new QGroupBox(tr("Resources"));
    auto *grid = formGrid(resources);
    grid->setColumnStretch(3, 1);
    const auto place
        = [this, grid](int row, int column, const QString &label, const QString &field, QWidget *input) {
              input->setObjectName(field);
              QLabel *l = labelFor(label, input);
              if (column > 0) {
                  m_labels.removeLast(); // only the first column lines up with the other groups
              }
              grid->addWidget(l, row, column * 2, Qt::AlignLeft | Qt::AlignTop);
              grid->addWidget(m_marks.add(field, input), row, column * 2 + 1, Qt::AlignTop);
          };
    m_cpus = new QSpinBox;
    m_cpus->setRange(1, 4096);
    m_gpus = new QSpinBox;
    m_gpus->setRange(0, 64);
    m_memory
        = lineEdit(QStringLiteral("2g"), tr("Memory limit: a number with k, m, g or t (2g: the default)"));
    m_disk = lineEdit(tr("e.g. 10g"), tr("Disk the run may write; empty: the server decides"));
    m_time = lineEdit(tr("e.g. 3h"), tr("Time limit: a number with s, m, h, d or y; empty: none"));
    m_priority = new PrioritySpinBox;
    m_queue = lineEdit(tr("any worker"), tr("Only workers with this tag take the run"));
    place(0, 0, tr("C&PUs:"), QStringLiteral("cpus"), m_cpus);
    place(0, 1, tr("&GPUs:"), QStringLiteral("gpus"), m_gpus);
    place(1, 0, tr("&Memory:"), QStringLiteral("memory"), m_memory);
    place(1, 1, tr("Dis&k:"), QStringLiteral("disk"), m_disk);
    place(2, 0, tr("&Time:"), QStringLiteral("time"), m_time);
    place(2, 1, tr("P&riority:"), QStringLiteral("priority"), m_priority);
    place(3, 0, tr("&Queue tag:"), QStringLiteral("queue"), m_queue);
    m_network = new QCheckBox(tr("&Network access"));
    m_network->setObjectName(QStringLiteral("network"));
    m_network->setChecked(true);
    m_allowFailed = new QCheckBox(tr("Run even if a dependency &failed"));
    m_allowFailed->setObjectName(QStringLiteral("allowFailedDependencies"));
    auto *checks = new QHBoxLayout;
    checks->addWidget(m_network);
    checks->addSpacing(16);
    checks->addWidget(m_allowFailed);
    checks->addStretch();
    grid->addLayout(checks, 3, 2, 1, 2, Qt::AlignTop);
    return resources;
}

QGroupBox *SubmitRunDialog::buildDetails()
{
    auto *details = new QGroupBox(tr("Bundle"));
    auto *form = formGrid(details);
    m_name = lineEdit({}, tr("Letters, digits, _ . and -; empty: derived from the command"));
    m_description = lineEdit({}, {});
    m_tags = lineEdit(tr("comma or space separated"), {});
    m_worksheet = lineEdit(tr("home worksheet"), tr("The worksheet the run is added to (name or uuid)"));
    const QList<std::tuple<QString, QString, QLineEdit *>> rows { { tr("N&ame:"), QStringLiteral("name"),
                                                                      m_name },
        { tr("D&escription:"), QStringLiteral("description"), m_description },
        { tr("Ta&gs:"), QStringLiteral("tags"), m_tags },
        { tr("&Worksheet:"), QStringLiteral("worksheet"), m_worksheet } };
    for (const auto &[label, field, edit] : rows) {
        edit->setObjectName(field);
        addGridRow(form, labelFor(label, edit), m_marks.add(field, edit));
    }
    return details;
}

void SubmitRunDialog::buildFooter(QVBoxLayout *top)
{
    m_fitLabel = new QLabel;
    m_fitLabel->setObjectName(QStringLiteral("fitCheck"));
    m_fitLabel->setWordWrap(true);
    m_fitLabel->setStyleSheet(
        QStringLiteral("QLabel { background: #fff4e5; color: #5d4000; border: 1px solid "
                       "#f0c36d; border-radius: 3px; padding: 6px; }"));
    m_fitLabel->hide();
    top->addWidget(m_fitLabel);

    auto *previewLabel = new QLabel(tr("Equivalent c&ommand line:"));
    m_preview = new QLineEdit;
    m_preview->setObjectName(QStringLiteral("preview"));
    m_preview->setReadOnly(true);
    m_preview->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    previewLabel->setBuddy(m_preview);
    auto *copy = new QPushButton(tr("Cop&y"));
    copy->setAutoDefault(false);
    copy->setToolTip(tr("Copy the cl run command to the clipboard"));
    connect(copy, &QPushButton::clicked, this,
        [this] { QGuiApplication::clipboard()->setText(m_preview->text()); });
    auto *previewRow = new QHBoxLayout;
    previewRow->addWidget(m_preview, 1);
    previewRow->addWidget(copy);
    top->addWidget(previewLabel);
    top->addLayout(previewRow);

    m_status = new QLabel;
    m_status->setObjectName(QStringLiteral("status"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->hide();
    top->addWidget(m_status);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Cancel);
    m_submitButton = m_buttons->addButton(tr("&Submit"), QDialogButtonBox::ActionRole);
    m_submitButton->setDefault(true);
    // Accepting is submit()'s to decide, once the server has the run.
    connect(m_submitButton, &QPushButton::clicked, this, &SubmitRunDialog::submit);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    top->addWidget(m_buttons);
}

void SubmitRunDialog::watchEdits()
{
    const auto edited = [this](const QString &field) {
        return [this, field] {
            m_marks.unmark(field);
            updateDerived();
        };
    };
    connect(m_command, &QPlainTextEdit::textChanged, this, edited(QStringLiteral("command")));
    connect(m_image, &QComboBox::currentTextChanged, this, edited(QStringLiteral("image")));
    connect(m_cpus, &QSpinBox::valueChanged, this, edited(QStringLiteral("cpus")));
    connect(m_gpus, &QSpinBox::valueChanged, this, edited(QStringLiteral("gpus")));
    connect(m_priority, &QSpinBox::valueChanged, this, edited(QStringLiteral("priority")));
    connect(m_network, &QCheckBox::toggled, this, &SubmitRunDialog::updateDerived);
    connect(m_allowFailed, &QCheckBox::toggled, this, &SubmitRunDialog::updateDerived);
    const QList<std::pair<QLineEdit *, QString>> lines { { m_memory, QStringLiteral("memory") },
        { m_disk, QStringLiteral("disk") }, { m_time, QStringLiteral("time") },
        { m_queue, QStringLiteral("queue") }, { m_name, QStringLiteral("name") },
        { m_description, QStringLiteral("description") }, { m_tags, QStringLiteral("tags") },
        { m_worksheet, QStringLiteral("worksheet") } };
    for (const auto &[edit, field] : lines) {
        connect(edit, &QLineEdit::textChanged, this, edited(field));
    }
    connect(m_queue, &QLineEdit::textEdited, this, [this] { m_queueTouched = true; });
    connect(m_worksheet, &QLineEdit::textChanged, m_resolver, &DependencyResolver::setWorksheet);
    connect(m_dependencies, &DependencyModel::changed, this, edited(QStringLiteral("dependencies")));
}

void SubmitRunDialog::updateDerived()
{
    const server::RunRequest r = request();
    m_preview->setText(r.toClCommand());
    m_preview->setCursorPosition(0);
    m_preview->setToolTip(m_preview->text()); // the whole line, however narrow the dialog
    m_name->setPlaceholderText(
        r.command.isEmpty() ? tr("derived from the command") : server::RunRequest::defaultName(r.command));
    updateFitCheck();
}

void SubmitRunDialog::updateFitCheck()
{
    m_fitWarnings = m_worker ? FitCheck::check(request(), m_worker->status()) : QStringList();
    QStringList lines;
    for (const QString &w : std::as_const(m_fitWarnings)) {
        lines << QStringLiteral("⚠ ") + w;
    }
    m_fitLabel->setText(lines.join(QLatin1Char('\n')));
    m_fitLabel->setVisible(!lines.isEmpty());
}

server::RunRequest SubmitRunDialog::request() const
{
    server::RunRequest r = m_base;
    r.command = m_command->toPlainText().trimmed();
    r.image = m_image->image();
    r.queue = m_queue->text().trimmed();
    r.cpus = m_cpus->value();
    r.gpus = m_gpus->value();
    // An empty memory field is the placeholder's 2g, `cl run`'s default; disk and time have none.
    r.memory = m_memory->text().trimmed().isEmpty() ? QStringLiteral("2g") : m_memory->text().trimmed();
    r.disk = m_disk->text().trimmed();
    r.time = m_time->text().trimmed();
    r.network = m_network->isChecked();
    r.allowFailedDependencies = m_allowFailed->isChecked();
    r.priority = m_priority->priority();
    r.worksheet = m_worksheet->text().trimmed();
    r.name = m_name->text().trimmed();
    r.description = m_description->text().trimmed();
    static const QRegularExpression separators(QStringLiteral("[,\\s]+"));
    r.tags = m_tags->text().split(separators, Qt::SkipEmptyParts);
    r.dependencies = m_dependencies->dependencies();
    return r;
}

void SubmitRunDialog::setRequest(const server::RunRequest &request)
{
    m_base = request;
    m_queueTouched = true; // a rerun keeps its own queue, even none
    m_command->setPlainText(request.command);
    m_image->setImage(request.image);
    m_queue->setText(request.queue);
    m_cpus->setValue(request.cpus);
    m_gpus->setValue(request.gpus);
    m_memory->setText(request.memory == QLatin1String("2g") ? QString() : request.memory);
    m_disk->setText(request.disk);
    m_time->setText(request.time);
    m_network->setChecked(request.network);
    m_allowFailed->setChecked(request.allowFailedDependencies);
    m_priority->setPriority(request.priority);
    m_worksheet->setText(request.worksheet);
    m_name->setText(request.name);
    m_description->setText(request.description);
    m_tags->setText(request.tags.join(QStringLiteral(", ")));
    m_dependencies->setDependencies(request.dependencies);
    updateDerived();
}

QStringList SubmitRunDialog::problems() const
{
    QStringList out;
    for (const QString &message : request().validate()) {
        // The dependency rows say which of them is wrong, better than the request can.
        if (!message.startsWith(QLatin1String("dependency "))) {
            out << message;
        }
    }
    static const QRegularExpression space(QStringLiteral("\\s"));
    if (m_image->image().contains(space)) {
        out << tr("image: an image name has no spaces");
    }
    for (int row = 0; row < m_dependencies->rowCount(); ++row) {
        if (const QString problem = m_dependencies->problem(row); !problem.isEmpty()) {
            out << tr("dependencies: row %1: %2").arg(row + 1).arg(problem);
        }
    }
    return out;
}

void SubmitRunDialog::showStatus(const QString &text, bool error)
{
    m_status->setStyleSheet(error ? QStringLiteral("color: #c62828;") : QString());
    m_status->setText(text);
    m_status->setVisible(!text.isEmpty());
}

void SubmitRunDialog::submit()
{
    if (m_submission) {
        return;
    }
    m_marks.clear();
    const QStringList problems = this->problems();
    if (!problems.isEmpty()) {
        m_marks.markProblems(problems);
        if (m_dependencies->firstProblemRow() >= 0) {
            m_dependencyEditor->showRow(m_dependencies->firstProblemRow());
        }
        m_marks.focusFirst();
        showStatus(tr("Nothing was sent: correct the marked fields first."), true);
        return;
    }
    const server::RunRequest r = request();
    m_submitButton->setEnabled(false);
    showStatus(tr("Submitting…"), false);
    server::RunSubmission *submission = m_client->submitRun(r);
    m_submission = submission;
    connect(submission, &server::RunSubmission::finished, this,
        [this, submission, image = r.image](
            const server::ApiResult &result) { onSubmitted(result, submission->bundleUuid(), image); });
}

void SubmitRunDialog::onSubmitted(const server::ApiResult &result, const QString &uuid, const QString &image)
{
    m_submission = nullptr;
    m_submitButton->setEnabled(true);
    if (!result.ok() || uuid.isEmpty()) {
        const QString message = result.ok() ? tr("the server created no bundle") : result.error.message;
        if (message.startsWith(QLatin1String("Dependency "))) {
            m_marks.mark(QStringLiteral("dependencies"), message);
        }
        // Everything typed stays, so the user can correct it and submit again.
        showStatus(tr("The run was not submitted: %1").arg(message), true);
        return;
    }
    if (m_settings && !image.isEmpty()) {
        m_settings->addRecentImage(image);
    }
    showStatus({}, false);
    Q_EMIT submitted(uuid);
    accept();
}

} // namespace codalab::ui
