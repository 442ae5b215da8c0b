# SPDX-License-Identifier: GPL-3.0-or-later
# Tests of core/util. The archive tests build hostile archives with libarchive's writer.
find_package(LibArchive REQUIRED)
find_package(ZLIB REQUIRED)
codalab_add_test(test_util unit SOURCES
    util/extractsandbox.cpp
    util/tarbuilder.cpp
    util/test_archivepathguard.cpp
    util/test_bundleuuid.cpp
    util/test_bytesize.cpp
    util/test_duration.cpp
    util/test_safearchive.cpp
    util/test_safearchive_refusals.cpp
    util/test_parallelgzipwriter.cpp
    LIBRARIES LibArchive::LibArchive ZLIB::ZLIB)
