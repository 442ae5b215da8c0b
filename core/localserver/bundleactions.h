// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "localserver/bundlerecord.h"
#include "localserver/httprequest.h"
#include "localserver/httpresponder.h"

#include <QJsonObject>

#include <functional>

namespace codalab::localserver {

class BundleStore;
class LocalHttpServer;

/// POST /rest/bundle-actions (`cl kill`, `cl write`): handed to the worker that runs the bundle and noted in
/// its `actions`; a bundle on no worker is killed by the server itself. Refused on a finished bundle with
/// upstream's words.
class BundleActions
{
public:
    /// Hands a message to the worker a bundle is on; false when it cannot be delivered.
    using WorkerMessenger = std::function<bool(const BundleRecord &bundle, const QJsonObject &message)>;

    explicit BundleActions(BundleStore &bundles)
        : m_bundles(bundles)
    { }
    void install(LocalHttpServer &http);

    WorkerMessenger messenger;
    std::function<void()> onChanged;

private:
    void act(HttpRequest &request, const HttpResponder &responder);

    BundleStore &m_bundles;
};

} // namespace codalab::localserver
