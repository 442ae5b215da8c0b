// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "localserver/worksheetrecord.h"

#include <optional>

namespace codalab::localserver {

class WorksheetStore;
struct UserRecord;

/// What a worksheet spec names, as upstream's canonicalize.get_worksheet_uuid reads it: "" or "/" is the
/// caller's home worksheet (made on first use), then a uuid, a uuid prefix or a name; with a base
/// worksheet, the worksheets it links to are tried first. Answers carry upstream's status and words.
class WorksheetSpec
{
public:
    struct Result
    {
        std::optional<WorksheetRecord> worksheet;
        int status = 200;
        QString error;
    };

    WorksheetSpec() = delete;
    /// `base` may be empty or the literal "None" the Python client sends for no base.
    static Result resolve(
        WorksheetStore &worksheets, const QString &spec, const QString &base, const UserRecord &user);
};

} // namespace codalab::localserver
