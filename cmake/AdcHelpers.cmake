# SPDX-License-Identifier: GPL-3.0-or-later
# Helpers shared by every folder: one static library per capability, one test executable per class.

# adc_add_library(<name> SOURCES ... [LINK ...])
# Creates the static library target adc_<name>. Headers are included as "<folder>/<Header>.h"
# relative to app/ (or the repository root for models/ and ui/).
function(adc_add_library name)
    cmake_parse_arguments(ARG "" "" "SOURCES;LINK" ${ARGN})
    add_library(adc_${name} STATIC ${ARG_SOURCES})
    target_include_directories(adc_${name} PUBLIC ${CMAKE_SOURCE_DIR}/app ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR}/generated)
    target_link_libraries(adc_${name} PUBLIC ${ARG_LINK})
    target_precompile_headers(adc_${name} PRIVATE <QtCore/QtCore>)
endfunction()

# adc_add_test(<name> SOURCES ... [LINK ...] [LABELS ...] [SANDBOX] [TIMEOUT s])
# One Qt Test executable registered with ctest. SANDBOX makes the test depend on apolo-sandbox
# and tells it where the binary is (ADC_SANDBOX_BIN); every test runs offscreen in C.UTF-8.
function(adc_add_test name)
    cmake_parse_arguments(ARG "SANDBOX" "TIMEOUT" "SOURCES;LINK;LABELS" ${ARGN})
    add_executable(${name} ${ARG_SOURCES})
    set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
    target_link_libraries(${name} PRIVATE Qt6::Test ${ARG_LINK})
    target_include_directories(${name} PRIVATE ${CMAKE_SOURCE_DIR}/tests)
    target_compile_definitions(${name} PRIVATE
        ADC_SOURCE_DIR="${CMAKE_SOURCE_DIR}"
        ADC_BIN_DIR="${CMAKE_BINARY_DIR}/bin"
        ADC_TEST_DATA_DIR="${CMAKE_SOURCE_DIR}/tests/data")
    add_test(NAME ${name} COMMAND ${name})
    set(env "QT_QPA_PLATFORM=offscreen" "LANG=C.UTF-8" "LC_ALL=C.UTF-8" "QT_LOGGING_RULES=*.debug=false")
    if(ARG_SANDBOX)
        list(APPEND env "ADC_SANDBOX_BIN=${CMAKE_BINARY_DIR}/bin/apolo-sandbox")
        add_dependencies(${name} apolo-sandbox)
    endif()
    if(NOT ARG_TIMEOUT)
        set(ARG_TIMEOUT 120)
    endif()
    if(NOT ARG_LABELS)
        set(ARG_LABELS unit)
    endif()
    set_tests_properties(${name} PROPERTIES ENVIRONMENT "${env}" TIMEOUT ${ARG_TIMEOUT} LABELS "${ARG_LABELS}")
endfunction()

# The git hash is refreshed on every build (not only at configure time) but the header is only
# rewritten when it changes, so nothing recompiles needlessly.
function(adc_generate_version_header)
    set(out ${CMAKE_BINARY_DIR}/generated/AdcVersion.h)
    add_custom_target(adc_version ALL
        COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${CMAKE_SOURCE_DIR} -DOUTPUT=${out}
                -DVERSION=${PROJECT_VERSION} -P ${CMAKE_SOURCE_DIR}/cmake/WriteVersion.cmake
        BYPRODUCTS ${out}
        COMMENT "Checking the git revision")
    execute_process(COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${CMAKE_SOURCE_DIR} -DOUTPUT=${out}
                            -DVERSION=${PROJECT_VERSION} -P ${CMAKE_SOURCE_DIR}/cmake/WriteVersion.cmake)
endfunction()
