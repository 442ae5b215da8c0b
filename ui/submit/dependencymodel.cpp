// SPDX-License-Identifier: GPL-3.0-or-later
#include "submit/dependencymodel.h"

#include <QBrush>
#include <QColor>
#include <QFileInfo>
#include <QFont>

namespace codalab::ui {

namespace {
const QColor errorColor(0xc6, 0x28, 0x28);
const QColor quietColor(0x75, 0x75, 0x75);
} // namespace

DependencyModel::DependencyModel(QObject *parent)
    : QAbstractTableModel(parent)
{ }

int DependencyModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int DependencyModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

std::optional<server::RunRequest::Dependency> DependencyModel::parse(const Row &row, QString *error) const
{
    auto d = server::RunRequest::parseDependency(row.key + QLatin1Char(':') + row.target, error);
    if (d && !row.givenUuid.isEmpty()) {
        d->parentUuid = row.givenUuid;
        if (!row.givenPath.isEmpty()) {
            d->parentPath = row.givenPath;
        }
    }
    return d;
}

QString DependencyModel::localProblem(int row) const
{
    const Row &r = m_rows.at(row);
    if (isBlank(r)) {
        return {};
    }
    if (server::RunRequest::isLocalTarget(r.target) && r.givenUuid.isEmpty()) {
        const QFileInfo local(r.target);
        if (!local.exists()) {
            return tr("%1 is not on this computer").arg(r.target);
        }
        if (!local.isReadable()) {
            return tr("%1 cannot be read (permission denied)").arg(r.target);
        }
    }
    QString error;
    const auto d = parse(r, &error);
    if (!d) {
        return error;
    }
    // RunRequest::validate() owns the key rules (pattern, "..", repeated or nested keys); ask it about
    // every row at once, as the rules relate rows, and keep the messages about this row's key.
    server::RunRequest probe;
    probe.command = QStringLiteral("true");
    probe.dependencies = dependencies();
    const QString prefix = QStringLiteral("dependency %1: ").arg(d->key);
    for (const QString &message : probe.validate()) {
        if (message.startsWith(prefix)) {
            return message.mid(prefix.size());
        }
    }
    return {};
}

DependencyModel::Lookup DependencyModel::lookup(int row) const
{
    const Row &r = m_rows.at(row);
    return server::RunRequest::isLocalTarget(r.target) ? Lookup::Resolved : r.lookup;
}

QString DependencyModel::problem(int row) const
{
    const QString local = localProblem(row);
    if (!local.isEmpty()) {
        return local;
    }
    return m_rows.at(row).lookup == Lookup::NotFound ? m_rows.at(row).message : QString();
}

int DependencyModel::firstProblemRow() const
{
    for (int row = 0; row < m_rows.size(); ++row) {
        if (!problem(row).isEmpty()) {
            return row;
        }
    }
    return -1;
}

QString DependencyModel::statusText(int row) const
{
    const Row &r = m_rows.at(row);
    if (isBlank(r)) {
        return {};
    }
    if (const QString local = localProblem(row); !local.isEmpty()) {
        return local;
    }
    if (server::RunRequest::isLocalTarget(r.target) && r.givenUuid.isEmpty()) {
        return QFileInfo(r.target).isDir() ? tr("this computer's folder: uploaded when you submit")
                                           : tr("this computer's file: uploaded when you submit");
    }
    switch (r.lookup) {
    case Lookup::Pending:
    case Lookup::Resolving:
        return tr("checking…");
    case Lookup::Resolved: {
        const QString uuid = r.uuid.left(10) + QStringLiteral("…");
        const QString to = r.name.isEmpty() ? tr("→ %1").arg(uuid) : tr("→ %1 (%2)").arg(uuid, r.name);
        // A note of the lookup's: a name several bundles share, and which of them this is.
        return r.message.isEmpty() ? to : tr("%1 — %2").arg(to, r.message);
    }
    case Lookup::NotFound:
        return r.message;
    case Lookup::Unchecked:
        return tr("could not check: %1").arg(r.message);
    }
    return {};
}

QVariant DependencyModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return {};
    }
    const Row &r = m_rows.at(index.row());
    switch (index.column()) {
    case KeyColumn:
        if (role == Qt::EditRole) {
            return r.key;
        }
        if (role == Qt::DisplayRole) {
            if (!r.key.isEmpty() || r.target.isEmpty()) {
                return r.key;
            }
            // The key `cl run` derives (bundle name or last path part), shown quieter than a typed one.
            QString error;
            const auto d = parse(r, &error);
            return d ? d->key : QString();
        }
        if (role == Qt::ForegroundRole && r.key.isEmpty()) {
            return QBrush(quietColor);
        }
        if (role == Qt::FontRole && r.key.isEmpty()) {
            QFont italic;
            italic.setItalic(true);
            return italic;
        }
        if (role == Qt::ToolTipRole) {
            return tr("Where the bundle appears in the run's directory; empty: the bundle's name");
        }
        return {};
    case TargetColumn:
        if (role == Qt::DisplayRole || role == Qt::EditRole) {
            return r.target;
        }
        if (role == Qt::ToolTipRole) {
            return tr(
                "A bundle name, uuid or ^N, optionally worksheet// before it and /subpath after it; or a "
                "folder or file of this computer (an absolute path), uploaded when you submit");
        }
        return {};
    case StatusColumn: {
        if (role == Qt::DisplayRole) {
            return statusText(index.row());
        }
        if (role == Qt::ToolTipRole) {
            return r.lookup == Lookup::Resolved && localProblem(index.row()).isEmpty()
                ? r.uuid
                : statusText(index.row());
        }
        if (role == Qt::ForegroundRole) {
            if (!problem(index.row()).isEmpty()) {
                return QBrush(errorColor);
            }
            return r.lookup == Lookup::Resolved ? QVariant() : QVariant(QBrush(quietColor));
        }
        return {};
    }
    default:
        return {};
    }
}

bool DependencyModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::EditRole
        || !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)
        || index.column() == StatusColumn) {
        return false;
    }
    Row &r = m_rows[index.row()];
    const QString text = value.toString().trimmed();
    QString &field = index.column() == KeyColumn ? r.key : r.target;
    if (field == text) {
        return true;
    }
    field = text;
    // Only the target is looked up: a key edit keeps the lookup, and its answer still in flight lands.
    // Bumping the revision without asking again would leave the row resolving for ever.
    if (index.column() == TargetColumn) {
        r.givenUuid.clear();
        r.givenPath.clear();
        restartLookup(r);
    }
    // The key column's derived text and every status may change (keys relate rows to each other).
    Q_EMIT dataChanged(this->index(index.row(), KeyColumn), this->index(index.row(), TargetColumn));
    statusColumnChanged();
    Q_EMIT changed();
    return true;
}

Qt::ItemFlags DependencyModel::flags(const QModelIndex &index) const
{
    if (!index.isValid()) {
        return Qt::NoItemFlags;
    }
    const Qt::ItemFlags base = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    return index.column() == StatusColumn ? base : base | Qt::ItemIsEditable;
}

QVariant DependencyModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return {};
    }
    switch (section) {
    case KeyColumn:
        return tr("Key");
    case TargetColumn:
        return tr("Bundle[/subpath] or local path");
    case StatusColumn:
        return tr("Resolves to");
    default:
        return {};
    }
}

bool DependencyModel::removeRows(int row, int count, const QModelIndex &parent)
{
    if (parent.isValid() || row < 0 || count < 1 || row + count > m_rows.size()) {
        return false;
    }
    beginRemoveRows({}, row, row + count - 1);
    m_rows.remove(row, count);
    endRemoveRows();
    statusColumnChanged();
    Q_EMIT changed();
    return true;
}

int DependencyModel::appendRow(const QString &key, const QString &target)
{
    const int row = int(m_rows.size());
    beginInsertRows({}, row, row);
    Row r;
    r.id = m_nextId++;
    r.key = key.trimmed();
    r.target = target.trimmed();
    m_rows.append(r);
    endInsertRows();
    statusColumnChanged();
    Q_EMIT changed();
    return row;
}

void DependencyModel::setDependencies(const QList<server::RunRequest::Dependency> &dependencies)
{
    beginResetModel();
    m_rows.clear();
    for (const server::RunRequest::Dependency &d : dependencies) {
        Row r;
        r.id = m_nextId++;
        r.key = d.key;
        r.target = d.target;
        r.givenUuid = d.parentUuid;
        r.givenPath = d.parentPath;
        if (!d.parentUuid.isEmpty()) {
            r.lookup = Lookup::Resolved;
            r.uuid = d.parentUuid;
        }
        m_rows.append(r);
    }
    endResetModel();
    Q_EMIT changed();
}

QList<server::RunRequest::Dependency> DependencyModel::dependencies() const
{
    QList<server::RunRequest::Dependency> out;
    for (const Row &r : m_rows) {
        QString error;
        if (!isBlank(r)) {
            if (const auto d = parse(r, &error)) {
                out.append(*d);
            }
        }
    }
    return out;
}

QList<DependencyModel::LookupRequest> DependencyModel::lookups() const
{
    QList<LookupRequest> out;
    for (int row = 0; row < m_rows.size(); ++row) {
        const Row &r = m_rows.at(row);
        QString error;
        // A local path is not the server's to look up: it is uploaded at submission.
        if (r.lookup == Lookup::Pending && !isBlank(r) && !server::RunRequest::isLocalTarget(r.target)
            && parse(r, &error)) {
            out.append({ r.id, r.revision, r.target });
        }
    }
    return out;
}

bool DependencyModel::setLookupResult(quint64 rowId, quint64 revision, Lookup state, const QString &uuid,
    const QString &name, const QString &message)
{
    const int row = rowOf(rowId);
    if (row < 0 || m_rows.at(row).revision != revision) {
        return false;
    }
    Row &r = m_rows[row];
    r.lookup = state;
    r.uuid = uuid;
    r.name = name;
    r.message = message;
    Q_EMIT dataChanged(index(row, StatusColumn), index(row, StatusColumn));
    return true;
}

void DependencyModel::setUploaded(const QString &key, const QString &uuid)
{
    for (int row = 0; row < m_rows.size(); ++row) {
        Row &r = m_rows[row];
        QString error;
        const auto d = parse(r, &error);
        if (d && d->key == key && server::RunRequest::isLocalTarget(r.target)) {
            // Uploaded: the row now names that bundle (a second submit does not upload it again).
            r.givenUuid = uuid;
            r.lookup = Lookup::Resolved;
            r.uuid = uuid;
            r.name = tr("uploaded");
            Q_EMIT dataChanged(index(row, StatusColumn), index(row, StatusColumn));
            Q_EMIT changed();
        }
    }
}

void DependencyModel::invalidateLookups()
{
    for (Row &r : m_rows) {
        if (r.givenUuid.isEmpty()) {
            restartLookup(r);
        }
    }
    statusColumnChanged();
}

void DependencyModel::restartLookup(Row &row)
{
    // The one place the revision moves, always with the row pending again, so lookups() asks anew.
    ++row.revision;
    row.lookup = Lookup::Pending;
    row.uuid.clear();
    row.name.clear();
    row.message.clear();
}

int DependencyModel::rowOf(quint64 id) const
{
    for (int row = 0; row < m_rows.size(); ++row) {
        if (m_rows.at(row).id == id) {
            return row;
        }
    }
    return -1;
}

void DependencyModel::statusColumnChanged()
{
    if (!m_rows.isEmpty()) {
        Q_EMIT dataChanged(index(0, StatusColumn), index(int(m_rows.size()) - 1, StatusColumn));
    }
}

} // namespace codalab::ui
