// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QString>

namespace codalab::localserver {

/// The types of a worker check-in's fields. A field of the wrong type would silently read as 0 or false, so
/// WorkerHub refuses such a check-in with 400 and the field's name.
class CheckinFields
{
public:
    CheckinFields() = delete;
    /// True when every known field that is present has its type; otherwise false and *error names it.
    static bool check(const QJsonObject &body, QString *error);
};

} // namespace codalab::localserver
