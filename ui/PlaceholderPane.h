// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ui/IconProvider.h"

#include <QWidget>

class QLabel;

namespace ApoloDeploy {

// Stands in for a pane that has not been built yet: says what the area will hold, shows no
// invented data. MainWindow::setPane() replaces it.
class PlaceholderPane final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PlaceholderPane)

public:
    PlaceholderPane(IconId icon, const QString &title, const QString &description, QWidget *parent = nullptr);

    QString title() const;
    QString description() const;

protected:
    void changeEvent(QEvent *event) override;

private:
    void applyPalette();

    IconId m_iconId;
    QLabel *m_iconLabel;
    QLabel *m_titleLabel;
    QLabel *m_descriptionLabel;
};

} // namespace ApoloDeploy
