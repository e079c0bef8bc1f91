// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/MainWindow.h"

#include <QLabel>

namespace ApoloDeploy {

MainWindow::MainWindow(const GlobalOptions &options, QWidget *parent)
    : QMainWindow(parent)
    , m_options(options)
{
    setObjectName(QStringLiteral("mainWindow"));
    auto *label = new QLabel(tr("Apolo Deploy Console"), this);
    label->setAlignment(Qt::AlignCenter);
    setCentralWidget(label);
    resize(1280, 800);
}

MainWindow::~MainWindow() = default;

} // namespace ApoloDeploy
