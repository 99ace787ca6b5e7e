import CRPlanCore
