// SPDX-License-Identifier: GPL-3.0-or-later
#include "submit/runform.h"

#include "submit/dependencyeditor.h"
#include "submit/dependencymodel.h"
#include "submit/imagecombobox.h"
#include "submit/priorityspinbox.h"

#include <QCheckBox>
#include <QFontDatabase>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPlainTextEdit>
#include <QRegularExpression>
#include <QSpinBox>
#include <QStyle>
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

RunForm::RunForm(DependencyModel *dependencies, QWidget *parent)
    : QWidget(parent)
    , m_dependencies(dependencies)
{
    setStyleSheet(FieldMarks::styleSheet());
    auto *top = new QVBoxLayout(this);
    top->setContentsMargins(0, 0, 0, 0);
    top->addWidget(buildRun(), 1);
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
    m_name->setPlaceholderText(tr("derived from the command"));
    watchEdits();
}

RunForm::~RunForm() = default;

QLabel *RunForm::labelFor(const QString &text, QWidget *input)
{
    auto *label = new QLabel(text);
    label->setBuddy(input);
    // As tall as the input's first line and centred on it, so it stays there when a message shows below.
    label->setMinimumHeight(input->sizeHint().height());
    label->setAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_labels.append(label);
    return label;
}

QGridLayout *RunForm::formGrid(QGroupBox *group)
{
    auto *grid = new QGridLayout(group);
    grid->setHorizontalSpacing(10);
    grid->setColumnStretch(1, 1);
    return grid;
}

void RunForm::addGridRow(QGridLayout *grid, QLabel *label, QWidget *field)
{
    // A grid rather than a QFormLayout: that centres a label on a tall field instead of on its first line.
    const int row = grid->rowCount();
    grid->addWidget(label, row, 0, Qt::AlignLeft | Qt::AlignTop);
    grid->addWidget(field, row, 1, Qt::AlignTop);
}

QGroupBox *RunForm::buildRun()
{
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
    return run;
}

QGroupBox *RunForm::buildResources()
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

QGroupBox *RunForm::buildDetails()
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

void RunForm::watchEdits()
{
    const auto unmarkAndTell = [this](const QString &field) {
        return [this, field] {
            m_marks.unmark(field);
            Q_EMIT edited();
        };
    };
    connect(m_command, &QPlainTextEdit::textChanged, this, [this] {
        const QString command = m_command->toPlainText().trimmed();
        m_name->setPlaceholderText(
            command.isEmpty() ? tr("derived from the command") : server::RunRequest::defaultName(command));
    });
    connect(m_command, &QPlainTextEdit::textChanged, this, unmarkAndTell(QStringLiteral("command")));
    connect(m_image, &QComboBox::currentTextChanged, this, unmarkAndTell(QStringLiteral("image")));
    connect(m_cpus, &QSpinBox::valueChanged, this, unmarkAndTell(QStringLiteral("cpus")));
    connect(m_gpus, &QSpinBox::valueChanged, this, unmarkAndTell(QStringLiteral("gpus")));
    connect(m_priority, &QSpinBox::valueChanged, this, unmarkAndTell(QStringLiteral("priority")));
    connect(m_network, &QCheckBox::toggled, this, &RunForm::edited);
    connect(m_allowFailed, &QCheckBox::toggled, this, &RunForm::edited);
    const QList<std::pair<QLineEdit *, QString>> lines { { m_memory, QStringLiteral("memory") },
        { m_disk, QStringLiteral("disk") }, { m_time, QStringLiteral("time") },
        { m_queue, QStringLiteral("queue") }, { m_name, QStringLiteral("name") },
        { m_description, QStringLiteral("description") }, { m_tags, QStringLiteral("tags") },
        { m_worksheet, QStringLiteral("worksheet") } };
    for (const auto &[edit, field] : lines) {
        connect(edit, &QLineEdit::textChanged, this, unmarkAndTell(field));
    }
    connect(m_queue, &QLineEdit::textEdited, this, [this] { m_queueTouched = true; });
    // The tags this user's own workers serve, a click away: this workstation's and each cluster's.
    // The style's arrow, as a combo box shows: a theme's "go-down" may well be a download icon.
    QAction *choose
        = m_queue->addAction(style()->standardIcon(QStyle::SP_ArrowDown), QLineEdit::TrailingPosition);
    choose->setObjectName(QStringLiteral("chooseQueue"));
    choose->setToolTip(tr("Choose where the run goes"));
    connect(choose, &QAction::triggered, this,
        [this] { queueMenu()->popup(m_queue->mapToGlobal(QPoint(0, m_queue->height()))); });
    connect(m_worksheet, &QLineEdit::textChanged, this, &RunForm::worksheetChanged);
    connect(m_dependencies, &DependencyModel::changed, this, unmarkAndTell(QStringLiteral("dependencies")));
}

void RunForm::offerQueue(const QString &tag)
{
    if (!tag.isEmpty()) {
        m_workstationTag = tag;
    }
    // A worker that answers only now still gives its tag, unless the user chose one.
    if (!m_queueTouched && m_queue->text().isEmpty()) {
        m_queue->setText(tag);
    }
}

void RunForm::setQueueChoices(const QList<std::pair<QString, QString>> &choices)
{
    m_queueChoices = choices;
}

QMenu *RunForm::queueMenu()
{
    if (!m_queueMenu) {
        m_queueMenu = new QMenu(this);
        m_queueMenu->setObjectName(QStringLiteral("queueMenu"));
    }
    m_queueMenu->clear();
    const auto offer = [this](const QString &text, const QString &tag) {
        QAction *a = m_queueMenu->addAction(text, this, [this, tag] {
            m_queueTouched = true;
            m_queue->setText(tag);
        });
        a->setData(tag);
        a->setCheckable(true);
        a->setChecked(m_queue->text().trimmed() == tag);
    };
    if (!m_workstationTag.isEmpty()) {
        offer(tr("This workstation — tag %1").arg(m_workstationTag), m_workstationTag);
    }
    for (const auto &[tag, what] : std::as_const(m_queueChoices)) {
        offer(tr("%1 — tag %2").arg(what, tag), tag);
    }
    offer(tr("Any worker (no tag)"), QString());
    return m_queueMenu;
}

server::RunRequest RunForm::request() const
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

void RunForm::setRequest(const server::RunRequest &request)
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
    Q_EMIT edited(); // even when every field already said so
}

QList<FieldMarks::Problem> RunForm::problems() const
{
    QList<FieldMarks::Problem> out;
    for (const QString &line : request().validate()) {
        // RunRequest::validate() speaks core's untranslated "field: message"; its field names are ours.
        const QString field = line.section(QStringLiteral(": "), 0, 0);
        // The dependency rows say which of them is wrong, better than the request can.
        if (!field.startsWith(QLatin1String("dependency "))) {
            out.append({ field, line.section(QStringLiteral(": "), 1) });
        }
    }
    static const QRegularExpression space(QStringLiteral("\\s"));
    if (m_image->image().contains(space)) {
        out.append({ QStringLiteral("image"), tr("an image name has no spaces") });
    }
    for (int row = 0; row < m_dependencies->rowCount(); ++row) {
        if (const QString problem = m_dependencies->problem(row); !problem.isEmpty()) {
            out.append(
                { QStringLiteral("dependencies"), tr("row %1: %2").arg(QString::number(row + 1), problem) });
        }
    }
    return out;
}

void RunForm::showProblems(const QList<FieldMarks::Problem> &problems)
{
    m_marks.clear();
    m_marks.markProblems(problems);
    if (const int row = m_dependencies->firstProblemRow(); row >= 0) {
        m_dependencyEditor->showRow(row);
    }
    m_marks.focusFirst();
}

} // namespace codalab::ui
