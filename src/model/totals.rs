//! 模型的算术：合计、小计与比上年增减，核对与推算共用这一处。

use crate::model::amount::Amount;
use crate::model::{Assets, Budget, Expenditure, Income, Indicator, SangongFigures};

impl Income {
    /// 收入合计：各来源之和（有预算明细时各来源已由明细推算）。
    pub fn total(&self) -> Amount {
        self.general_budget
            + self.government_fund
            + self.special_account
            + self.other
            + self.carryover
            + self.state_capital
            + self.institution
            + self.institution_business
    }
}

impl Expenditure {
    /// 基本支出：人员经费 + 日常公用经费。
    pub fn basic_total(&self) -> Amount {
        self.basic.personnel + self.basic.public
    }

    /// 项目支出：各项目之和。
    pub fn projects_total(&self) -> Amount {
        self.projects.iter().map(|p| p.amount).sum()
    }

    /// 支出合计。
    pub fn total(&self) -> Amount {
        self.basic_total() + self.projects_total()
    }
}

impl SangongFigures {
    /// 公务用车购置及运行费：购置费 + 运行费。
    pub fn vehicle(&self) -> Amount {
        self.vehicle_purchase + self.vehicle_operation
    }

    /// “三公”经费合计。
    pub fn total(&self) -> Amount {
        self.overseas + self.vehicle() + self.reception
    }
}

impl Assets {
    /// Top-level holdings; 办公用房 is part of 房屋 and is not added again.
    /// `None` when any of them has no value: a total of what is given would
    /// be a false figure.
    pub fn total(&self) -> Option<Amount> {
        [&self.buildings, &self.vehicles, &self.major_equipment, &self.other]
            .into_iter()
            .map(|h| h.as_ref().and_then(|h| h.value))
            .sum()
    }
}

impl Budget {
    /// 机关运行经费: stated, or else equal to 日常公用经费.
    pub fn operating_amount(&self) -> Amount {
        self.operating_costs.amount.unwrap_or(self.expenditure.basic.public)
    }
}

/// 与上年比较的方向。
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Increase,
    Decrease,
    Flat,
}

impl Direction {
    /// The word the documents use: 增加, 减少, 持平.
    pub fn word(self) -> &'static str {
        match self {
            Direction::Increase => "增加",
            Direction::Decrease => "减少",
            Direction::Flat => "持平",
        }
    }
}

/// A year-on-year change: its direction and its size (absolute value).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Delta {
    pub direction: Direction,
    pub amount: Amount,
}

impl Delta {
    /// Compares at display precision: a change that rounds to 0.00 万元 is
    /// 持平, because the page could not show it anyway.
    pub fn between(current: Amount, previous: Amount) -> Delta {
        let diff = current - previous;
        let direction = if diff.rounded().is_zero() {
            Direction::Flat
        } else if diff.0.is_sign_positive() {
            Direction::Increase
        } else {
            Direction::Decrease
        };
        Delta { direction, amount: diff.abs() }
    }
}

/// The standard three-level framework: a 二级指标 belongs to one 一级指标.
pub fn level1_of(level2: &str) -> Option<&'static str> {
    match level2.trim() {
        "数量指标" | "质量指标" | "时效指标" | "成本指标" => Some("产出指标"),
        "经济效益指标" | "社会效益指标" | "生态效益指标" | "可持续影响指标" => {
            Some("效果指标")
        }
        "服务对象满意度指标" | "满意度指标" => Some("满意度指标"),
        _ => None,
    }
}

impl Indicator {
    /// The 一级指标 of a row: stated, or derived from its 二级指标.
    pub fn level1(&self) -> String {
        match &self.level1 {
            Some(l) if !l.trim().is_empty() => l.trim().to_string(),
            _ => level1_of(&self.level2).unwrap_or("").to_string(),
        }
    }
}
