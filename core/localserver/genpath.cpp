// SPDX-License-Identifier: GPL-3.0-or-later
#include "localserver/genpath.h"

#include "util/bytesize.h"
#include "util/duration.h"

#include <QDateTime>
#include <QFile>
#include <QJsonDocument>
#include <QRegularExpression>

namespace codalab::localserver {

namespace {

QString renderDependency(const QJsonObject &d, bool showKey, bool anonymous)
{
    QString out;
    if (showKey && !anonymous) {
        out = d.value(QLatin1String("child_path")).toString()
                == d.value(QLatin1String("parent_name")).toString()
            ? QStringLiteral(":")
            : d.value(QLatin1String("child_path")).toString() + QLatin1Char(':');
    }
    out += d.value(QLatin1String("parent_name")).toString();
    const QString path = d.value(QLatin1String("parent_path")).toString();
    return path.isEmpty() ? out : out + QLatin1Char('/') + path;
}

QString summaryOf(const QJsonObject &info)
{
    const QString type = info.value(QLatin1String("bundle_type")).toString();
    const QJsonArray deps = info.value(QLatin1String("dependencies")).toArray();
    QString summary;
    if (type == QLatin1String("dataset") || type == QLatin1String("program")) {
        summary = info.value(QLatin1String("state")).toString() == QLatin1String("ready")
            ? QStringLiteral("[uploaded]")
            : QString();
    } else if (type == QLatin1String("make")) {
        QStringList parts;
        const bool anonymous
            = deps.size() == 1 && deps.first()[QLatin1String("child_path")].toString().isEmpty();
        for (const QJsonValue &d : deps) {
            parts << renderDependency(d.toObject(), true, anonymous);
        }
        summary = QStringLiteral("= ") + parts.join(QLatin1Char(' '));
    } else if (type == QLatin1String("run")) {
        summary = QStringLiteral("! ") + info.value(QLatin1String("command")).toString();
    }
    return summary.size() > 1024 ? summary.left(1024) + QStringLiteral("...") : summary;
}

QString numberText(const QJsonValue &v)
{
    return v.isString() ? v.toString() : QString::number(v.toDouble(), 'g', 15);
}

/// A file's content as upstream reads it for a genpath: TSV lines as a map, else JSON, else the text.
QJsonValue parseFile(const QByteArray &bytes)
{
    const QString text = QString::fromUtf8(bytes);
    if (text.trimmed().isEmpty()) {
        return QString();
    }
    const QStringList lines = text.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    if (std::all_of(
            lines.cbegin(), lines.cend(), [](const QString &l) { return l.contains(QLatin1Char('\t')); })) {
        QJsonObject map;
        for (const QString &line : lines) {
            map.insert(line.section(QLatin1Char('\t'), 0, 0), line.section(QLatin1Char('\t'), 1));
        }
        return map;
    }
    QJsonParseError error {};
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &error);
    if (error.error == QJsonParseError::NoError) {
        return doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object());
    }
    return text.trimmed();
}

} // namespace

bool Genpath::isTriple(const QJsonValue &value)
{
    return value.isArray() && value.toArray().size() == 3
        && value.toArray().at(1).toString().startsWith(QLatin1Char('/'));
}

QJsonValue Genpath::evaluate(const QJsonObject &info, const QString &genpath)
{
    if (isFileGenpath(genpath)) {
        return QJsonArray { info.value(QLatin1String("uuid")), genpath, QJsonValue() };
    }
    const QJsonArray deps = info.value(QLatin1String("dependencies")).toArray();
    const bool anonymous = deps.size() == 1 && deps.first()[QLatin1String("child_path")].toString().isEmpty();
    if (genpath == QLatin1String("dependencies")) {
        QStringList parts;
        for (const QJsonValue &d : deps) {
            parts << renderDependency(d.toObject(), true, anonymous);
        }
        return parts.join(QLatin1Char(','));
    }
    if (genpath.startsWith(QLatin1String("dependencies/"))) {
        for (const QJsonValue &d : deps) {
            if (d[QLatin1String("child_path")].toString() == genpath.mid(13)) {
                return renderDependency(d.toObject(), false, anonymous);
            }
        }
        return QJsonValue();
    }
    if (genpath == QLatin1String("summary")) {
        return summaryOf(info);
    }
    if (genpath == QLatin1String("args")) {
        return info.value(QLatin1String("args"));
    }
    if (info.contains(genpath) && genpath != QLatin1String("metadata")) {
        return info.value(genpath);
    }
    const QJsonObject metadata = info.value(QLatin1String("metadata")).toObject();
    return metadata.contains(genpath) ? metadata.value(genpath) : QJsonValue();
}

QJsonValue Genpath::apply(const QJsonValue &value, const QString &post)
{
    if (post.isEmpty()) {
        return value;
    }
    if (isTriple(value)) {
        QJsonArray triple = value.toArray();
        triple[2] = post;
        return triple;
    }
    QJsonValue v = value;
    for (const QString &f : post.split(QStringLiteral(" | "))) {
        if (v.isNull() || v.isUndefined()) {
            return QJsonValue();
        }
        if (f == QLatin1String("str")) {
            v = v.isString() ? v.toString() : numberText(v);
        } else if (f == QLatin1String("date")) {
            v = QDateTime::fromSecsSinceEpoch(qint64(numberText(v).toDouble()))
                    .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
        } else if (f == QLatin1String("duration")) {
            v = util::Duration::format(qint64(numberText(v).toDouble()));
        } else if (f == QLatin1String("size")) {
            v = util::ByteSize::format(qint64(numberText(v).toDouble()));
        } else if (f.startsWith(QLatin1Char('%'))) {
            static const QRegularExpression fixed(QStringLiteral("^%\\.(\\d+)f$"));
            const QRegularExpressionMatch m = fixed.match(f);
            v = m.hasMatch() ? QString::number(numberText(v).toDouble(), 'f', m.captured(1).toInt())
                             : QString::number(numberText(v).toDouble());
        } else if (f.startsWith(QLatin1String("s/"))) {
            const QStringList parts = f.split(QLatin1Char('/'));
            if (parts.size() != 3) {
                return QStringLiteral("<invalid regex: %1>").arg(f);
            }
            v = v.toString().replace(QRegularExpression(parts.at(1)), parts.at(2));
        } else if (f.startsWith(QLatin1Char('['))) {
            static const QRegularExpression slice(QStringLiteral("^\\[(-?\\d*):(-?\\d*)\\]$"));
            const QRegularExpressionMatch m = slice.match(f);
            if (!m.hasMatch()) {
                return QStringLiteral("<invalid function: %1>").arg(f);
            }
            const QString s = v.isString() ? v.toString() : numberText(v);
            qsizetype start = m.captured(1).isEmpty() ? 0 : m.captured(1).toLongLong();
            qsizetype end = m.captured(2).isEmpty() ? s.size() : m.captured(2).toLongLong();
            start = start < 0 ? qMax<qsizetype>(0, s.size() + start) : qMin(start, s.size());
            end = end < 0 ? qMax<qsizetype>(0, s.size() + end) : qMin(end, s.size());
            v = s.mid(start, qMax<qsizetype>(0, end - start));
        } else {
            return QStringLiteral("<invalid function: %1>").arg(f);
        }
    }
    return v;
}

QJsonValue Genpath::readFile(const QString &bundlePath, const QString &genpath, const QString &post)
{
    const QString path = genpath.section(QLatin1Char(':'), 0, 0).mid(1);
    const QString keys = genpath.section(QLatin1Char(':'), 1);
    if (path.split(QLatin1Char('/')).contains(QLatin1String(".."))) {
        return QJsonValue();
    }
    QFile file(bundlePath + QLatin1Char('/') + path);
    if (!file.open(QIODevice::ReadOnly)) {
        return QJsonValue();
    }
    // As upstream: at most 10000 lines of at most 1024 bytes each.
    QByteArray bytes;
    for (int i = 0; i < 10000 && !file.atEnd(); ++i) {
        bytes += file.readLine(1025);
    }
    QJsonValue value = parseFile(bytes);
    for (const QString &key : keys.split(QLatin1Char('/'), Qt::SkipEmptyParts)) {
        if (value.isObject()) {
            value = value.toObject().value(key);
        } else if (value.isArray()) {
            bool ok = false;
            const int index = key.toInt(&ok);
            value = ok ? value.toArray().at(index) : QJsonValue();
        } else {
            value = QJsonValue();
        }
    }
    if (value.isObject() || value.isArray()) {
        value = QString::fromUtf8(value.isObject()
                ? QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact)
                : QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    }
    return apply(value, post);
}

} // namespace codalab::localserver
