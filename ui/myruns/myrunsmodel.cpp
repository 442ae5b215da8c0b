// SPDX-License-Identifier: GPL-3.0-or-later
#include "myruns/myrunsmodel.h"

#include "common/statecolour.h"
#include "common/units.h"
#include "myruns/runtimes.h"
#include "server/apijob.h"
#include "server/bundlestate.h"
#include "server/codalabclient.h"
#include "server/metadatakey.h"

#include <QColor>
#include <QDateTime>
#include <QFontDatabase>
#include <QJsonArray>
#include <QLocale>
#include <QTimer>

namespace codalab::ui {

using server::BundleState;

namespace {

QJsonObject attributesOf(const QJsonObject &bundle)
{
    return bundle.value(QLatin1String("attributes")).toObject();
}

QJsonObject metadataOf(const QJsonObject &bundle)
{
    return attributesOf(bundle).value(QLatin1String("metadata")).toObject();
}

QString stateOf(const QJsonObject &bundle)
{
    return attributesOf(bundle).value(QLatin1String("state")).toString();
}

} // namespace

MyRunsModel::MyRunsModel(server::CodaLabClient *client, QObject *parent)
    : QAbstractTableModel(parent)
    , m_client(client)
    , m_timer(new QTimer(this))
    , m_now([] { return QDateTime::currentSecsSinceEpoch(); })
{
    Q_ASSERT(client);
    connect(m_timer, &QTimer::timeout, this, &MyRunsModel::refresh);
}

MyRunsModel::~MyRunsModel()
{
    if (m_job) {
        m_job->cancel(); // nobody is left to read the answer
    }
}

void MyRunsModel::refresh()
{
    if (m_job) {
        m_queued = true; // polls never stack; the newest wish is served after this answer
        return;
    }
    m_queued = false;
    m_job = m_client->search({ QStringLiteral(".mine"), QStringLiteral(".limit=200") });
    connect(m_job, &server::ApiJob::finished, this, &MyRunsModel::onSearched);
}

void MyRunsModel::clear()
{
    if (m_job) {
        // The answer is for the account that was: it must not fill the list again (cancel() emits nothing).
        disconnect(m_job, nullptr, this, nullptr);
        m_job->cancel();
        m_job.clear();
    }
    m_queued = false;
    m_loaded = false;
    if (!m_rows.isEmpty()) {
        beginRemoveRows({}, 0, int(m_rows.size()) - 1);
        m_rows.clear();
        endRemoveRows();
    }
    setError({});
}

void MyRunsModel::setAutoRefresh(int ms)
{
    if (ms <= 0) {
        m_timer->stop();
        return;
    }
    m_timer->start(ms);
}

int MyRunsModel::autoRefreshInterval() const
{
    return m_timer->isActive() ? m_timer->interval() : 0;
}

void MyRunsModel::setClock(std::function<qint64()> nowSecs)
{
    m_now = std::move(nowSecs);
}

void MyRunsModel::refreshTimes()
{
    if (m_rows.isEmpty()) {
        return;
    }
    // The two clock columns sit side by side: one signal, and the other columns are left alone.
    static_assert(RunTimeColumn == CreatedColumn + 1);
    Q_EMIT dataChanged(
        index(0, CreatedColumn), index(int(m_rows.size()) - 1, RunTimeColumn), { Qt::DisplayRole, SortRole });
}

void MyRunsModel::onSearched(const server::ApiResult &result)
{
    m_job.clear();
    const QJsonValue data = result.json.object().value(QLatin1String("data"));
    if (!result.ok()) {
        setError(result.error.message);
    } else if (!data.isArray()) {
        setError(tr("The server's answer holds no list of bundles."));
    } else {
        QList<Row> rows;
        for (const QJsonValue &v : data.toArray()) {
            const QJsonObject bundle = v.toObject();
            // .mine finds uploads too; this page is about runs.
            if (attributesOf(bundle).value(QLatin1String("bundle_type")).toString() == QLatin1String("run")) {
                rows << makeRow(bundle);
            }
        }
        m_loaded = true;
        apply(rows);
        setError({});
    }
    Q_EMIT refreshed(result.ok() && data.isArray());
    if (m_queued) {
        refresh();
    }
}

void MyRunsModel::setError(const QString &error)
{
    if (error != m_error) {
        m_error = error;
        Q_EMIT errorChanged(m_error);
    }
}

void MyRunsModel::apply(const QList<Row> &rows)
{
    // Rows that are gone, from the bottom so the rows above keep their numbers.
    for (int row = int(m_rows.size()) - 1; row >= 0; --row) {
        const QString &uuid = m_rows.at(row).uuid;
        if (std::none_of(rows.begin(), rows.end(), [&uuid](const Row &r) { return r.uuid == uuid; })) {
            beginRemoveRows({}, row, row);
            m_rows.removeAt(row);
            endRemoveRows();
        }
    }
    // Then walk the server's order (newest first): each row is already in place, further down, or new.
    for (int i = 0; i < rows.size(); ++i) {
        const Row &fresh = rows.at(i);
        if (i < m_rows.size() && m_rows.at(i).uuid == fresh.uuid) {
            update(i, fresh);
            continue;
        }
        const int from = rowOf(fresh.uuid);
        if (from > i) {
            beginMoveRows({}, from, from, {}, i);
            m_rows.move(from, i);
            endMoveRows();
            update(i, fresh);
            continue;
        }
        beginInsertRows({}, i, i);
        m_rows.insert(i, fresh);
        endInsertRows();
    }
}

void MyRunsModel::update(int row, const Row &fresh)
{
    Row &old = m_rows[row];
    if (old.bundle == fresh.bundle && old.cells == fresh.cells) {
        return;
    }
    int first = -1;
    int last = -1;
    for (int c = 0; c < ColumnCount; ++c) {
        if (old.cells.at(c) != fresh.cells.at(c)) {
            first = first < 0 ? c : first;
            last = c;
        }
    }
    old = fresh;
    if (first >= 0) {
        Q_EMIT dataChanged(index(row, first), index(row, last));
    } else {
        // No cell reads differently, but the bundle behind the row (what the details show) did change.
        Q_EMIT dataChanged(index(row, 0), index(row, 0), { BundleRole });
    }
}

MyRunsModel::Row MyRunsModel::makeRow(const QJsonObject &bundle) const
{
    const QJsonObject a = attributesOf(bundle);
    const QJsonObject m = metadataOf(bundle);
    Row row;
    row.uuid = a.value(QLatin1String("uuid")).toString(bundle.value(QLatin1String("id")).toString());
    row.bundle = bundle;
    row.cells.resize(ColumnCount);
    row.cells[UuidColumn] = row.uuid.left(10);
    row.cells[NameColumn] = m.value(QLatin1String("name")).toString();
    row.cells[StateColumn] = a.value(QLatin1String("state")).toString();
    // One line: a multi-line command would make the row grow.
    row.cells[CommandColumn] = a.value(QLatin1String("command")).toString().simplified();
    // The image asked for: what ran (docker_image) is often only a digest, which tells a reader nothing.
    const QString image = m.value(QLatin1String("request_docker_image")).toString();
    row.cells[ImageColumn] = image.isEmpty() ? tr("server default") : image;
    row.cells[QueueColumn] = m.value(QLatin1String("request_queue")).toString();
    // The clock columns are written when read (data()); what they show changes with the clock too.
    row.cells[CreatedColumn] = QString::number(qint64(m.value(server::MetadataKey::Created).toDouble()));
    row.cells[RunTimeColumn] = RunTimes::key(bundle);
    return row;
}

QString MyRunsModel::displayText(const Row &row, int column) const
{
    switch (column) {
    case CreatedColumn: {
        const auto created = qint64(metadataOf(row.bundle).value(server::MetadataKey::Created).toDouble());
        return created > 0 ? Units::ago(m_now() - created) : QString();
    }
    case RunTimeColumn:
        return RunTimes::runText(row.bundle, m_now());
    default:
        return row.cells.at(column);
    }
}

int MyRunsModel::rowOf(const QString &uuid) const
{
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).uuid == uuid) {
            return i;
        }
    }
    return -1;
}

int MyRunsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int MyRunsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant MyRunsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid)) {
        return {};
    }
    const Row &row = m_rows.at(index.row());
    const QJsonObject m = metadataOf(row.bundle);
    switch (role) {
    case Qt::DisplayRole:
        return displayText(row, index.column());
    case Qt::ToolTipRole:
        switch (index.column()) {
        case UuidColumn:
            return row.uuid;
        case StateColumn:
            return attributesOf(row.bundle).value(QLatin1String("state_details")).toString();
        case CommandColumn:
            return attributesOf(row.bundle).value(QLatin1String("command")).toString();
        case CreatedColumn:
            return QLocale().toString(
                QDateTime::fromSecsSinceEpoch(qint64(m.value(server::MetadataKey::Created).toDouble())),
                QLocale::LongFormat);
        case RunTimeColumn:
            return RunTimes::breakdown(row.bundle);
        default:
            return {};
        }
    case Qt::FontRole:
        // Hex digits line up, and every short uuid is as wide as the next.
        return index.column() == UuidColumn ? QFontDatabase::systemFont(QFontDatabase::FixedFont)
                                            : QVariant();
    case Qt::ForegroundRole:
        return index.column() == StateColumn ? StateColour::of(stateOf(row.bundle)) : QVariant();
    case Qt::TextAlignmentRole:
        return index.column() == RunTimeColumn ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
    case UuidRole:
        return row.uuid;
    case BundleRole:
        return row.bundle;
    case StateRole:
        return stateOf(row.bundle);
    case SortRole:
        switch (index.column()) {
        case CreatedColumn:
            return m.value(server::MetadataKey::Created).toDouble();
        case RunTimeColumn:
            return double(RunTimes::runSeconds(row.bundle, m_now()).value_or(-1));
        default:
            return row.cells.at(index.column()).toLower();
        }
    default:
        return {};
    }
}

QVariant MyRunsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return {};
    }
    switch (section) {
    case UuidColumn:
        return tr("UUID");
    case NameColumn:
        return tr("Name");
    case StateColumn:
        return tr("State");
    case CommandColumn:
        return tr("Command");
    case ImageColumn:
        return tr("Image");
    case QueueColumn:
        return tr("Queue");
    case CreatedColumn:
        return tr("Created");
    case RunTimeColumn:
        return tr("Run time");
    default:
        return {};
    }
}

const QStringList &MyRunsModel::activeStates()
{
    static const QStringList states { BundleState::Created, BundleState::Staged, BundleState::Making,
        BundleState::Starting, BundleState::Preparing, BundleState::Running, BundleState::Finalizing };
    return states;
}

bool MyRunsModel::isFinalState(const QString &state)
{
    return BundleState::isFinal(state);
}

} // namespace codalab::ui
