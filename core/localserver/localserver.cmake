# SPDX-License-Identifier: GPL-3.0-or-later
# core/localserver sources: the CodaLab-compatible local server (Qt HttpServer + Qt Sql/SQLite)
find_package(Qt6 REQUIRED COMPONENTS Sql HttpServer)
target_sources(codalab_core PRIVATE
    localserver/authroutes.cpp
    localserver/bundlejson.cpp
    localserver/bundlemetadata.cpp
    localserver/bundlerecord.cpp
    localserver/bundleroutes.cpp
    localserver/bundlestore.cpp
    localserver/contentroutes.cpp
    localserver/httpresponder.cpp
    localserver/httpresponse.cpp
    localserver/jsonapi.cpp
    localserver/localhttpserver.cpp
    localserver/localserver.cpp
    localserver/localserverconfig.cpp
    localserver/scheduler.cpp
    localserver/serverstore.cpp
    localserver/workerhub.cpp
    localserver/workerreadproxy.cpp
    localserver/worksheetroutes.cpp
)
target_link_libraries(codalab_core PUBLIC Qt6::Sql Qt6::HttpServer)
