// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>

namespace codalab::localserver {

/// Upstream's "generalized paths" (codalab/lib/worksheet_util.py): what a worksheet table's column shows
/// of a bundle. A name is a field of the bundle or of its metadata, or one of `summary`, `dependencies`,
/// `dependencies/<key>`, `args`; `/path[:key/sub]` reads a file of the bundle (a TSV of key<TAB>value,
/// JSON, or text) and looks a key up in it. Post-processing (`post`) is upstream's apply_func: `str`,
/// `date`, `duration`, `size`, `%...` (printf on a number), `s/old/new`, `[a:b]`, joined by " | ".
class Genpath
{
public:
    Genpath() = delete;

    static bool isFileGenpath(const QString &genpath) { return genpath.startsWith(QLatin1Char('/')); }
    /// `info` is a bundle's JSON:API attributes. A file genpath comes back as the triple
    /// [bundle uuid, genpath, null] that the file step fills in later, as upstream leaves it.
    static QJsonValue evaluate(const QJsonObject &info, const QString &genpath);
    /// Applies `post`; a file triple gets `post` as its third element instead.
    static QJsonValue apply(const QJsonValue &value, const QString &post);
    /// Reads `genpath` of the bundle whose contents are at `bundlePath`, then applies `post`.
    static QJsonValue readFile(const QString &bundlePath, const QString &genpath, const QString &post);
    /// A file triple left by evaluate()?
    static bool isTriple(const QJsonValue &value);
};

} // namespace codalab::localserver
