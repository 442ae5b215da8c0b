// SPDX-License-Identifier: GPL-3.0-or-later
#include "localserver/worksheetinterpreter.h"

#include "localserver/bundlejson.h"
#include "localserver/bundlesearch.h"
#include "localserver/bundlestore.h"
#include "localserver/genpath.h"
#include "localserver/worksheetjson.h"
#include "localserver/worksheetstore.h"

namespace codalab::localserver {

namespace {

QJsonObject readyStatus()
{
    return QJsonObject { { QStringLiteral("code"), QStringLiteral("ready") },
        { QStringLiteral("error_message"), QString() } };
}

QJsonObject bundlesSpec(const QJsonArray &infos)
{
    QJsonArray uuids;
    for (const QJsonValue &info : infos) {
        uuids.append(info[QLatin1String("uuid")]);
    }
    return QJsonObject { { QStringLiteral("spec_type"), QStringLiteral("uuid_spec") },
        { QStringLiteral("uuid_spec"), uuids }, { QStringLiteral("bundle_infos"), infos },
        { QStringLiteral("fetch_status"), readyStatus() } };
}

QJsonObject worksheetInfo(const WorksheetRecord &ws)
{
    return QJsonObject { { QStringLiteral("uuid"), ws.uuid }, { QStringLiteral("name"), ws.name },
        { QStringLiteral("title"), ws.title.isEmpty() ? QJsonValue() : QJsonValue(ws.title) },
        { QStringLiteral("owner_id"), ws.ownerId } };
}

/// The state of one walk over a worksheet's items (upstream's interpret_items loop).
struct Walk
{
    QJsonArray blocks;
    QString mode = QStringLiteral("table");
    QStringList modeArgs { QStringLiteral("default") };
    QMap<QString, QJsonArray> properties;
    QJsonArray pendingBundles;
    QJsonArray pendingBundleKeys;
    QJsonArray pendingWorksheets;
    QJsonArray pendingWorksheetKeys;
    QString schemaName; ///< a `% schema` being defined
    QJsonArray schemaRows;
    QJsonArray schemaKeys;
    bool lastWasEmptyMarkup = true;
};

} // namespace

WorksheetInterpreter::WorksheetInterpreter(const WorksheetStore &worksheets, const BundleStore &bundles,
    const ServerStore &store, const BundleJson &json)
    : m_worksheets(worksheets)
    , m_bundles(bundles)
    , m_store(store)
    , m_json(json)
{ }

QStringList WorksheetInterpreter::tokens(const QString &text, bool *ok)
{
    QStringList out;
    QString current;
    bool inToken = false;
    QChar quote;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (!quote.isNull()) {
            if (c == quote) {
                quote = QChar();
            } else if (c == QLatin1Char('\\') && quote == QLatin1Char('"') && i + 1 < text.size()
                && (text.at(i + 1) == QLatin1Char('"') || text.at(i + 1) == QLatin1Char('\\'))) {
                current += text.at(++i);
            } else {
                current += c;
            }
        } else if (c == QLatin1Char('\'') || c == QLatin1Char('"')) {
            quote = c;
            inToken = true;
        } else if (c == QLatin1Char('\\') && i + 1 < text.size()) {
            current += text.at(++i);
            inToken = true;
        } else if (c.isSpace()) {
            if (inToken) {
                out << current;
                current.clear();
                inToken = false;
            }
        } else {
            current += c;
            inToken = true;
        }
    }
    if (inToken) {
        out << current;
    }
    if (ok) {
        *ok = quote.isNull();
    }
    return out;
}

QMap<QString, QList<WorksheetInterpreter::Field>> WorksheetInterpreter::defaultSchemas()
{
    const Field uuid { QStringLiteral("uuid[0:8]"), QStringLiteral("uuid"), QStringLiteral("[0:8]") };
    const Field name { QStringLiteral("name"), QStringLiteral("name"), {} };
    const Field summary { QStringLiteral("summary[0:1024]"), QStringLiteral("summary"), {} };
    const Field dataSize { QStringLiteral("data_size"), QStringLiteral("data_size"), QStringLiteral("size") };
    const Field time { QStringLiteral("time"), QStringLiteral("time"), QStringLiteral("duration") };
    const Field state { QStringLiteral("state"), QStringLiteral("state"), {} };
    const Field description { QStringLiteral("description"), QStringLiteral("description"), {} };
    const Field created { QStringLiteral("created"), QStringLiteral("created"), QStringLiteral("date") };
    QMap<QString, QList<Field>> schemas;
    for (const Field &f : { uuid, name, summary, dataSize, time, state, description, created }) {
        schemas.insert(f.genpath, { f });
    }
    schemas.insert(QStringLiteral("default"), { uuid, name, summary, dataSize, state, description });
    schemas.insert(QStringLiteral("program"), { uuid, name, dataSize, description });
    schemas.insert(QStringLiteral("dataset"), { uuid, name, dataSize, description });
    schemas.insert(QStringLiteral("make"), { uuid, name, summary, dataSize, state, description });
    schemas.insert(QStringLiteral("run"), { uuid, name, summary, dataSize, time, state, description });
    return schemas;
}

QList<WorksheetInterpreter::Item> WorksheetInterpreter::expand(
    const QList<WorksheetItemRecord> &records, const UserRecord &caller) const
{
    QList<Item> out;
    for (const WorksheetItemRecord &r : records) {
        Item item { r.type, r.value, {}, {}, QString::number(r.id),
            r.sortKey ? QJsonValue(*r.sortKey) : QJsonValue() };
        if (r.type == WorksheetItemRecord::Bundle) {
            const auto bundle = m_bundles.get(r.bundleUuid);
            item.bundle = bundle
                ? m_json.resource(*bundle, &caller).value(QLatin1String("attributes")).toObject()
                : QJsonObject { { QStringLiteral("uuid"), r.bundleUuid } };
        } else if (r.type == WorksheetItemRecord::Worksheet) {
            const auto ws = m_worksheets.byUuid(r.subworksheetUuid);
            item.subworksheet
                = ws ? worksheetInfo(*ws) : QJsonObject { { QStringLiteral("uuid"), r.subworksheetUuid } };
        } else if (r.type == WorksheetItemRecord::Directive) {
            const QStringList words = tokens(r.value);
            if (!words.isEmpty()
                && (words.first() == QLatin1String("search") || words.first() == QLatin1String("wsearch"))) {
                // A search is replaced by what it finds, as upstream does outside of brief mode.
                QString error;
                if (words.first() == QLatin1String("search")) {
                    const auto parsed = BundleSearch::parse(words.mid(1), caller, m_store, &error);
                    if (!parsed) {
                        out << Item { WorksheetItemRecord::Markup,
                            QStringLiteral("Error in search: %1").arg(error), {}, {}, {}, {} };
                    } else if (parsed->mode == BundleSearch::Mode::Count) {
                        out << Item { WorksheetItemRecord::Markup,
                            QString::number(m_bundles.count(parsed->query)), {}, {}, {}, {} };
                    } else if (parsed->mode == BundleSearch::Mode::Sum) {
                        out << Item { WorksheetItemRecord::Markup,
                            m_bundles.sum(parsed->query, parsed->sumExpression).toString(), {}, {}, {}, {} };
                    } else {
                        for (const BundleRecord &b : m_bundles.search(parsed->query)) {
                            out << Item { WorksheetItemRecord::Bundle, {},
                                m_json.resource(b, &caller).value(QLatin1String("attributes")).toObject(), {},
                                {}, {} };
                        }
                    }
                } else if (const auto found = m_worksheets.search(words.mid(1), caller, &error)) {
                    for (const WorksheetRecord &ws : *found) {
                        out << Item { WorksheetItemRecord::Worksheet, {}, {}, worksheetInfo(ws), {}, {} };
                    }
                }
                continue;
            }
        }
        out << item;
    }
    return out;
}

QJsonArray WorksheetInterpreter::blocksFor(const QList<Item> &items) const
{
    const QMap<QString, QList<Field>> defaults = defaultSchemas();
    QMap<QString, QList<Field>> schemas = defaults;
    Walk w;
    const auto flushBundles = [&]() {
        if (w.pendingBundles.isEmpty()) {
            return;
        }
        const QJsonArray infos = w.pendingBundles;
        const QJsonArray keys = w.pendingBundleKeys;
        w.pendingBundles = QJsonArray();
        w.pendingBundleKeys = QJsonArray();
        if (w.mode == QLatin1String("hidden")) {
            return;
        }
        if (w.mode == QLatin1String("table") || w.mode == QLatin1String("record")) {
            QList<Field> fields;
            for (const QString &arg : w.modeArgs) {
                fields << schemas.value(arg, { Field { arg, arg, {} } });
            }
            const auto row = [&](const QJsonObject &info, const Field &f) {
                QJsonObject withName = info;
                if (!withName.contains(QLatin1String("metadata"))) {
                    withName.insert(QStringLiteral("metadata"),
                        QJsonObject { { QStringLiteral("name"), QStringLiteral("<invalid>") } });
                }
                return Genpath::apply(Genpath::evaluate(withName, f.genpath), f.post);
            };
            if (w.mode == QLatin1String("table")) {
                QJsonArray header;
                for (const Field &f : std::as_const(fields)) {
                    header.append(f.name);
                }
                QJsonArray rows;
                for (const QJsonValue &info : infos) {
                    QJsonObject r;
                    for (const Field &f : std::as_const(fields)) {
                        r.insert(f.name, row(info.toObject(), f));
                    }
                    rows.append(r);
                }
                w.blocks.append(QJsonObject { { QStringLiteral("mode"), QStringLiteral("table_block") },
                    { QStringLiteral("header"), header }, { QStringLiteral("rows"), rows },
                    { QStringLiteral("bundles_spec"), bundlesSpec(infos) },
                    { QStringLiteral("status"), readyStatus() }, { QStringLiteral("sort_keys"), keys },
                    { QStringLiteral("first_bundle_source_index"), 0 },
                    { QStringLiteral("using_schemas"), QJsonArray::fromStringList(w.modeArgs) } });
                return;
            }
            for (const QJsonValue &info : infos) {
                QJsonArray rows;
                for (const Field &f : std::as_const(fields)) {
                    rows.append(QJsonObject { { QStringLiteral("key"), QString(f.name + QLatin1Char(':')) },
                        { QStringLiteral("value"), row(info.toObject(), f) } });
                }
                w.blocks.append(QJsonObject { { QStringLiteral("mode"), QStringLiteral("record_block") },
                    { QStringLiteral("header"),
                        QJsonArray { QStringLiteral("key"), QStringLiteral("value") } },
                    { QStringLiteral("rows"), rows },
                    { QStringLiteral("bundles_spec"), bundlesSpec({ info }) },
                    { QStringLiteral("status"), readyStatus() }, { QStringLiteral("sort_keys"), keys } });
            }
            return;
        }
        // contents, image and graph: one genpath of each bundle
        const QString genpath = w.modeArgs.value(0);
        for (const QJsonValue &info : infos) {
            QJsonObject block { { QStringLiteral("mode"), QString(w.mode + QStringLiteral("_block")) },
                { QStringLiteral("bundles_spec"), bundlesSpec({ info }) },
                { QStringLiteral("target_genpath"), genpath.mid(1) },
                { QStringLiteral("status"), readyStatus() }, { QStringLiteral("sort_keys"), keys } };
            if (w.mode == QLatin1String("contents")) {
                const QJsonArray maxLines = w.properties.value(QStringLiteral("maxlines"));
                block.insert(QStringLiteral("max_lines"),
                    maxLines.isEmpty() ? 10 : maxLines.first().toString().toInt()); // a number, as upstream
                block.insert(QStringLiteral("lines"), QJsonValue());
            }
            w.blocks.append(block);
        }
    };
    const auto flushWorksheets = [&]() {
        if (!w.pendingWorksheets.isEmpty()) {
            w.blocks.append(QJsonObject { { QStringLiteral("mode"), QStringLiteral("subworksheets_block") },
                { QStringLiteral("subworksheet_infos"), w.pendingWorksheets },
                { QStringLiteral("sort_keys"), w.pendingWorksheetKeys } });
            w.pendingWorksheets = QJsonArray();
            w.pendingWorksheetKeys = QJsonArray();
        }
    };
    const auto flushSchema = [&]() {
        if (!w.schemaName.isEmpty()) {
            w.blocks.append(QJsonObject { { QStringLiteral("mode"), QStringLiteral("schema_block") },
                { QStringLiteral("schema_name"), w.schemaName },
                { QStringLiteral("header"),
                    QJsonArray { QStringLiteral("field"), QStringLiteral("generalized-path"),
                        QStringLiteral("post-processor") } },
                { QStringLiteral("field_rows"), w.schemaRows },
                { QStringLiteral("sort_keys"), w.schemaKeys } });
            w.schemaName.clear();
            w.schemaRows = QJsonArray();
            w.schemaKeys = QJsonArray();
        }
    };
    for (qsizetype i = 0; i < items.size(); ++i) {
        const Item &item = items.at(i);
        const QStringList words
            = item.type == WorksheetItemRecord::Directive ? tokens(item.value) : QStringList();
        const QString command = words.value(0);
        if (item.type != WorksheetItemRecord::Bundle) {
            flushBundles();
            w.mode = QStringLiteral("table");
            w.modeArgs = QStringList { QStringLiteral("default") };
            w.properties.clear();
        }
        if (item.type != WorksheetItemRecord::Worksheet) {
            flushWorksheets();
        }
        if (command != QLatin1String("add") && command != QLatin1String("addschema")) {
            flushSchema();
        }
        const auto error = [&](const QString &message) {
            w.blocks.append(QJsonObject { { QStringLiteral("mode"), QStringLiteral("markup_block") },
                { QStringLiteral("text"),
                    QStringLiteral("Error in source line %1: %2").arg(i + 1).arg(message) },
                { QStringLiteral("error"), true }, { QStringLiteral("ids"), QJsonArray { item.id } },
                { QStringLiteral("sort_keys"), QJsonArray { item.sortKey } } });
        };
        if (item.type == WorksheetItemRecord::Bundle) {
            w.pendingBundles.append(item.bundle);
            w.pendingBundleKeys.append(item.sortKey);
        } else if (item.type == WorksheetItemRecord::Worksheet) {
            w.pendingWorksheets.append(item.subworksheet);
            w.pendingWorksheetKeys.append(item.sortKey);
        } else if (item.type == WorksheetItemRecord::Markup) {
            const bool empty = item.value.isEmpty();
            QJsonObject last = w.blocks.isEmpty() ? QJsonObject() : w.blocks.last().toObject();
            if (!empty && !w.lastWasEmptyMarkup
                && last.value(QLatin1String("mode")) == QLatin1String("markup_block")
                && !last.value(QLatin1String("error")).toBool()) {
                last.insert(QStringLiteral("text"),
                    QString(last.value(QLatin1String("text")).toString() + QLatin1Char('\n') + item.value));
                QJsonArray ids = last.value(QLatin1String("ids")).toArray();
                ids.append(item.id);
                last.insert(QStringLiteral("ids"), ids);
                w.blocks[w.blocks.size() - 1] = last;
            } else if (!empty) {
                w.blocks.append(QJsonObject { { QStringLiteral("mode"), QStringLiteral("markup_block") },
                    { QStringLiteral("id"), item.id }, { QStringLiteral("text"), item.value },
                    { QStringLiteral("ids"), QJsonArray { item.id } },
                    { QStringLiteral("sort_keys"), QJsonArray { item.sortKey } },
                    { QStringLiteral("is_refined"), true } });
            }
            w.lastWasEmptyMarkup = empty;
            continue;
        } else if (command.isEmpty() || command == QLatin1String("%")
            || command.startsWith(QLatin1Char('%'))) {
            // a comment
        } else if (command == QLatin1String("schema")) {
            if (words.size() < 2) {
                error(QStringLiteral("`schema` needs a name"));
            } else {
                w.schemaName = words.at(1);
                schemas.insert(w.schemaName, {});
                w.schemaKeys.append(item.sortKey);
            }
        } else if (command == QLatin1String("addschema") || command == QLatin1String("add")) {
            if (w.schemaName.isEmpty()) {
                error(QStringLiteral("`%1` must be preceded by `schema` directive").arg(command));
            } else if (command == QLatin1String("addschema")) {
                if (!schemas.contains(words.value(1))) {
                    error(QStringLiteral("unknown schema `%1`").arg(words.value(1)));
                } else {
                    schemas[w.schemaName] += schemas.value(words.value(1));
                }
            } else if (words.size() < 2 || words.size() > 4) {
                error(QStringLiteral("Invalid number of arguments: [%1]")
                          .arg(words.mid(1).join(QStringLiteral(", "))));
            } else {
                // `add genpath` names the column after the genpath (its last key for a file genpath).
                const QString genpath = words.size() == 2 ? words.at(1) : words.at(2);
                const QString name = words.size() == 2 ? genpath.section(QLatin1Char(':'), -1) : words.at(1);
                const Field f { name, genpath, words.value(3) };
                schemas[w.schemaName] << f;
                w.schemaRows.append(QJsonObject { { QStringLiteral("field"), f.name },
                    { QStringLiteral("generalized-path"), f.genpath },
                    { QStringLiteral("post-processor"),
                        f.post.isEmpty() ? QJsonValue() : QJsonValue(f.post) } });
            }
        } else if (command == QLatin1String("display")) {
            static const QStringList modes { QStringLiteral("hidden"), QStringLiteral("table"),
                QStringLiteral("record"), QStringLiteral("contents"), QStringLiteral("image"),
                QStringLiteral("graph") };
            const QString mode = words.value(1);
            if (!modes.contains(mode)) {
                error(QStringLiteral("Unknown display mode: %1").arg(mode));
                continue;
            }
            QStringList args;
            bool bad = false;
            for (const QString &word : words.mid(2)) {
                if (word.contains(QLatin1Char('=')) && mode != QLatin1String("table")
                    && mode != QLatin1String("record")) {
                    w.properties[word.section(QLatin1Char('='), 0, 0)].append(
                        word.section(QLatin1Char('='), 1));
                } else {
                    args << word;
                }
            }
            if ((mode == QLatin1String("contents") || mode == QLatin1String("image")
                    || mode == QLatin1String("graph"))
                && (args.isEmpty() || !args.first().startsWith(QLatin1Char('/')))) {
                error(args.isEmpty()
                        ? QStringLiteral("Expected '% display %1 (genpath)', but got '% display %1'")
                              .arg(mode)
                        : QStringLiteral("Not file genpath: %1").arg(args.first()));
                bad = true;
            }
            // upstream: int(properties.get('maxlines', 10)); the CLI sends it on as `head`.
            bool isInt = true;
            if (!bad && mode == QLatin1String("contents")
                && w.properties.contains(QStringLiteral("maxlines"))) {
                w.properties.value(QStringLiteral("maxlines")).first().toString().toInt(&isInt);
            }
            if (!isInt) {
                error(QStringLiteral("maxlines must be integer"));
                bad = true;
            }
            if (!bad) {
                w.mode = mode;
                w.modeArgs
                    = args.isEmpty() && (mode == QLatin1String("table") || mode == QLatin1String("record"))
                    ? QStringList { QStringLiteral("default") }
                    : args;
            }
        } else {
            error(QStringLiteral("unknown directive `%1`").arg(command));
        }
        w.lastWasEmptyMarkup = true;
    }
    flushBundles();
    flushWorksheets();
    flushSchema();
    return w.blocks;
}

QJsonObject WorksheetInterpreter::interpret(const WorksheetRecord &ws, const UserRecord &caller) const
{
    const QList<WorksheetItemRecord> records = m_worksheets.items(ws.uuid);
    QJsonArray source;
    for (const WorksheetItemRecord &r : records) {
        source.append(r.value);
    }
    const auto owner = m_store.userById(ws.ownerId);
    QJsonObject out { { QStringLiteral("uuid"), ws.uuid }, { QStringLiteral("name"), ws.name },
        { QStringLiteral("owner_id"), ws.ownerId },
        { QStringLiteral("owner_name"), owner ? owner->name : QString() },
        { QStringLiteral("title"), ws.title.isEmpty() ? QJsonValue() : QJsonValue(ws.title) },
        { QStringLiteral("frozen"), WorksheetJson::isoDate(ws.frozen) },
        { QStringLiteral("is_anonymous"), ws.isAnonymous },
        { QStringLiteral("date_created"), WorksheetJson::isoDate(ws.dateCreated) },
        { QStringLiteral("date_last_modified"), WorksheetJson::isoDate(ws.dateLastModified) },
        { QStringLiteral("tags"), QJsonArray::fromStringList(ws.tags) }, { QStringLiteral("source"), source },
        { QStringLiteral("blocks"), blocksFor(expand(records, caller)) } };
    return out;
}

} // namespace codalab::localserver
