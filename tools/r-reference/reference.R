# Reference values from R for the statistics of the recheck engine.
#
#   python tools/r-reference/inputs.py && Rscript tools/r-reference/reference.R
#
# Reads tests/fixtures/r-reference/inputs/*.csv (written from the engine by inputs.py) and the
# reconstructed cohort files they name, and writes tests/fixtures/r-reference/reference.csv:
# one row per reference value (kind, case, quantity, value, role, r_function, detail).
# role "reference" rows are compared with the engine by tests/test_r_reference.py;
# role "information" rows (Monte Carlo Fisher, other CI conventions, score/LR tests) are not.
# The first line stamps R's and survival's versions, the second the md5 of every file read.
#
# Conventions, stated once: a Kaplan-Meier median or limit that is never reached (R: NA) is
# written "inf", as lifelines reports it; rows or columns of a table that are all zero are
# dropped before testing, as the engine does; a lower rounding bound of a ratio is kept >= 1e-6
# and an SD >= 1e-12, as the engine does (no printed row reaches either).

suppressPackageStartupMessages(library(survival))

script <- sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)[1])
root <- normalizePath(file.path(dirname(script), "..", ".."))
fixture <- file.path(root, "tests", "fixtures", "r-reference")
inputs <- file.path(fixture, "inputs")
read_files <- character(0)

read_input <- function(path) {
  # every input starts with one "#" line; cells stay text until a column is used as a number
  read_files[[length(read_files) + 1]] <<- path
  read.csv(path, skip = 1, colClasses = "character", encoding = "UTF-8", check.names = FALSE,
           na.strings = character(0))
}

num <- function(x) as.numeric(x)  # "inf" reads as Inf

out <- new.env()
out$rows <- list()
add <- function(kind, case, quantity, value, r_function, role = "reference", detail = "") {
  out$rows[[length(out$rows) + 1]] <- data.frame(
    kind = kind, case = case, quantity = quantity, value = as.numeric(value), role = role,
    r_function = r_function, detail = detail, stringsAsFactors = FALSE)
}

# --- 1. tables of counts ---------------------------------------------------------------------

tables <- read_input(file.path(inputs, "tables.csv"))
cells <- read_input(file.path(inputs, "table_counts.csv"))
for (id in tables$case) {
  cc <- cells[cells$case == id, ]
  m <- matrix(0, max(num(cc$row)), max(num(cc$column)))
  m[cbind(num(cc$row), num(cc$column))] <- num(cc$count)
  m <- m[rowSums(m) > 0, colSums(m) > 0, drop = FALSE]
  shape <- sprintf("%dx%d", nrow(m), ncol(m))
  if (nrow(m) < 2 || ncol(m) < 2) {
    add("table", id, "untestable", NA, "", "information", paste("fewer than two rows or columns:", shape))
    next
  }
  pearson <- suppressWarnings(chisq.test(m, correct = FALSE))
  add("table", id, "pearson.statistic", pearson$statistic, "chisq.test(correct = FALSE)", detail = shape)
  add("table", id, "pearson.dof", pearson$parameter, "chisq.test(correct = FALSE)", detail = shape)
  add("table", id, "pearson.p", pearson$p.value, "chisq.test(correct = FALSE)", detail = shape)
  # likelihood-ratio G = 2 sum O log(O/E), 0 log 0 = 0
  expected <- outer(rowSums(m), colSums(m)) / sum(m)
  g <- 2 * sum(ifelse(m > 0, m * log(m / expected), 0))
  dof <- (nrow(m) - 1) * (ncol(m) - 1)
  add("table", id, "likelihood-ratio.statistic", g, "2*sum(O*log(O/E))", detail = shape)
  add("table", id, "likelihood-ratio.dof", dof, "(r-1)*(c-1)", detail = shape)
  add("table", id, "likelihood-ratio.p", pchisq(g, dof, lower.tail = FALSE), "pchisq", detail = shape)
  if (all(dim(m) == 2)) {
    yates <- suppressWarnings(chisq.test(m, correct = TRUE))
    add("table", id, "yates.statistic", yates$statistic, "chisq.test(correct = TRUE)", detail = shape)
    add("table", id, "yates.p", yates$p.value, "chisq.test(correct = TRUE)", detail = shape)
    add("table", id, "fisher.p", fisher.test(m)$p.value, "fisher.test", detail = shape)
    # SPSS's "Exact Sig. (1-sided)": the tail in the direction the table departs from independence
    side <- if (m[1, 1] >= expected[1, 1]) "greater" else "less"
    add("table", id, "fisher-one-sided.p", fisher.test(m, alternative = side)$p.value,
        sprintf("fisher.test(alternative = \"%s\")", side), detail = shape)
  } else {
    exact <- tryCatch(fisher.test(m, workspace = 2e8)$p.value, error = function(e) NA)
    if (is.na(exact)) {
      add("table", id, "fisher.p", NA, "fisher.test(workspace = 2e8)", "information",
          paste(shape, "too large for the exact network algorithm"))
    } else {
      add("table", id, "fisher.p", exact, "fisher.test(workspace = 2e8)", detail = paste(shape, "exact"))
    }
    set.seed(1)
    add("table", id, "fisher.simulated.p",
        fisher.test(m, simulate.p.value = TRUE, B = 1e5)$p.value,
        "fisher.test(simulate.p.value = TRUE, B = 1e5); set.seed(1)", "information", shape)
  }
  if (nrow(m) > 2) {
    # SPSS's "Linear-by-Linear Association" (SAS: "Mantel-Haenszel Chi-Square"), scores 1, 2, ...
    x <- rep(as.vector(row(m)), as.vector(m))
    y <- rep(as.vector(col(m)), as.vector(m))
    m2 <- (sum(m) - 1) * cor(x, y)^2
    add("table", id, "linear-by-linear.statistic", m2, "(N-1)*cor(row, col)^2", detail = shape)
    add("table", id, "linear-by-linear.p", pchisq(m2, 1, lower.tail = FALSE), "pchisq(df = 1)", detail = shape)
  }
}

# --- 2. two-group summary t-tests ------------------------------------------------------------

student_p <- function(m1, s1, n1, m2, s2, n2) {
  sp2 <- ((n1 - 1) * s1^2 + (n2 - 1) * s2^2) / (n1 + n2 - 2)
  t <- (m1 - m2) / sqrt(sp2 * (1 / n1 + 1 / n2))
  2 * pt(-abs(t), n1 + n2 - 2)
}
welch_p <- function(m1, s1, n1, m2, s2, n2) {
  v1 <- s1^2 / n1
  v2 <- s2^2 / n2
  df <- (v1 + v2)^2 / (v1^2 / (n1 - 1) + v2^2 / (n2 - 1))
  2 * pt(-abs((m1 - m2) / sqrt(v1 + v2)), df)
}
# n values with exactly this mean and SD (a standardised 1..n, moved and scaled)
with_summary <- function(mean, sd, n) {
  z <- seq_len(n)
  mean + sd * (z - mean(z)) / sd(z)
}

tt <- read_input(file.path(inputs, "t_tests.csv"))
for (i in seq_len(nrow(tt))) {
  r <- tt[i, ]
  id <- r$case
  n1 <- num(r$n1)
  n2 <- num(r$n2)
  printed <- c(num(r$mean1), max(num(r$sd1), 1e-12), num(r$mean2), max(num(r$sd2), 1e-12))
  corners <- expand.grid(m1 = num(c(r$mean1_low, r$mean1_high)), s1 = pmax(num(c(r$sd1_low, r$sd1_high)), 1e-12),
                         m2 = num(c(r$mean2_low, r$mean2_high)), s2 = pmax(num(c(r$sd2_low, r$sd2_high)), 1e-12))
  zero_possible <- num(r$mean1_low) - num(r$mean2_high) <= 0 && 0 <= num(r$mean1_high) - num(r$mean2_low)
  x <- with_summary(printed[1], printed[2], n1)
  y <- with_summary(printed[3], printed[4], n2)
  for (test in c("student", "welch")) {
    f <- if (test == "student") student_p else welch_p
    at <- f(printed[1], printed[2], n1, printed[3], printed[4], n2)
    ps <- f(corners$m1, corners$s1, n1, corners$m2, corners$s2, n2)
    add("t_test", id, paste0(test, ".p_at_printed"), at, "2*pt(-|t|, df) from the summaries")
    add("t_test", id, paste0(test, ".p_at_printed.t_test"),
        t.test(x, y, var.equal = test == "student")$p.value,
        sprintf("t.test(var.equal = %s) on data with the printed mean and SD", test == "student"))
    add("t_test", id, paste0(test, ".p_low"), min(ps), "min of 2*pt over the 16 corners of the rounding box")
    add("t_test", id, paste0(test, ".p_high"), if (zero_possible) 1 else max(ps),
        "max of 2*pt over the 16 corners (1 when the means can be equal)")
  }
}

# --- 3. ratio p from its CI (Altman & Bland) -------------------------------------------------

ratios <- read_input(file.path(inputs, "ratios.csv"))
z975 <- qnorm(0.975)
p_from_ci <- function(est, lo, hi) {
  se <- (log(hi) - log(lo)) / (2 * z975)
  2 * pnorm(-abs(log(est) / se))
}
for (i in seq_len(nrow(ratios))) {
  r <- ratios[i, ]
  id <- r$case
  est <- c(max(num(r$est_low), 1e-6), num(r$est_high))
  lo <- c(max(num(r$lo_low), 1e-6), num(r$lo_high))
  hi <- c(max(num(r$hi_low), 1e-6), num(r$hi_high))
  box <- expand.grid(est = est, lo = lo, hi = hi)
  ps <- p_from_ci(box$est, box$lo, box$hi)
  centres <- sqrt(box$lo * box$hi)
  add("ratio", id, "p_from_ci", p_from_ci(num(r$est), num(r$lo), num(r$hi)),
      "2*pnorm(-|log(est)|/se), se = (log(hi)-log(lo))/(2*qnorm(0.975))", "information", "at the printed values")
  add("ratio", id, "implied_p.low", min(ps), "min of 2*pnorm over the 8 corners of the rounding box")
  add("ratio", id, "implied_p.high", if (est[1] <= 1 && 1 <= est[2]) 1 else max(ps),
      "max of 2*pnorm over the 8 corners (1 when the estimate can be 1)")
  add("ratio", id, "centre.low", min(centres), "min of sqrt(lo*hi) over the rounding box")
  add("ratio", id, "centre.high", max(centres), "max of sqrt(lo*hi) over the rounding box")
}

# --- 4. reconstructed cohorts ----------------------------------------------------------------

cohort_index <- read_input(file.path(inputs, "cohorts.csv"))
analyses <- read_input(file.path(inputs, "cohort_analyses.csv"))
filters <- read_input(file.path(inputs, "cohort_filters.csv"))
cohorts <- list()
for (path in cohort_index$cohort) {
  cohorts[[path]] <- read_input(file.path(root, path))  # skips the SYNTHETIC notice line
}

not_reached <- function(x) ifelse(is.na(x), Inf, x)  # survfit's NA median/limit: not reached

for (i in seq_len(nrow(analyses))) {
  a <- analyses[i, ]
  id <- a$analysis
  d <- cohorts[[a$cohort]]
  keep <- rep(TRUE, nrow(d))
  f <- filters[filters$analysis == id, ]
  for (key in unique(paste(f$column, f$op, sep = "\r"))) {
    rows <- f[paste(f$column, f$op, sep = "\r") == key, ]
    cell <- d[[rows$column[1]]]
    keep <- keep & (if (rows$op[1] == "not_empty") cell != "" else cell %in% rows$value)
  }
  time <- num(d[[a$time]][keep])
  event <- num(d[[a$event]][keep]) == 1
  add(a$kind, id, "tied_times", sum(duplicated(time)), "duplicated", "information", "times equal to an earlier one")
  add(a$kind, id, "near_ties", sum(aeqSurv(Surv(time, event))[, 1] != time), "aeqSurv", "information",
      "times survival's timefix moves onto a neighbour")
  if (a$kind == "km") {
    fit <- survfit(Surv(time, event) ~ 1, conf.type = "log-log")
    tab <- summary(fit)$table
    add("km", id, "n", tab[["records"]], "survfit")
    add("km", id, "events", tab[["events"]], "survfit")
    add("km", id, "median", not_reached(tab[["median"]]), "survfit (median of the KM curve)")
    add("km", id, "median.ci_low", not_reached(tab[["0.95LCL"]]), "survfit(conf.type = \"log-log\")")
    add("km", id, "median.ci_high", not_reached(tab[["0.95UCL"]]), "survfit(conf.type = \"log-log\")")
    below <- fit$time[fit$surv <= 0.5]
    add("km", id, "median.first_at_or_below_half", if (length(below)) min(below) else Inf,
        "min(fit$time[fit$surv <= 0.5])", "information", "the first time the survfit curve is <= 0.5")
    for (type in c("log", "plain")) {
      tab2 <- summary(survfit(Surv(time, event) ~ 1, conf.type = type))$table
      add("km", id, paste0("median.ci_low.", type), not_reached(tab2[["0.95LCL"]]),
          sprintf("survfit(conf.type = \"%s\")", type), "information")
      add("km", id, paste0("median.ci_high.", type), not_reached(tab2[["0.95UCL"]]),
          sprintf("survfit(conf.type = \"%s\")", type), "information")
    }
    if (nzchar(a$rate_times)) {
      for (at in num(strsplit(a$rate_times, ";")[[1]])) {
        s <- summary(fit, times = at, extend = TRUE)$surv
        add("km", id, sprintf("rate.%g", at), s, "summary(survfit, times, extend = TRUE)$surv")
      }
    }
  } else if (a$kind == "reverse_km") {
    tab <- summary(survfit(Surv(time, !event) ~ 1))$table
    add("reverse_km", id, "n", tab[["records"]], "survfit(Surv(time, !event) ~ 1)")
    add("reverse_km", id, "median", not_reached(tab[["median"]]), "survfit(Surv(time, !event) ~ 1)")
  } else if (a$kind == "logrank") {
    group <- d[[a$group_column]][keep]
    lr <- survdiff(Surv(time, event) ~ group)
    dof <- length(lr$n) - 1
    # the engine's only log-rank chi-square (logrank_tests) is written for tie-free data
    tied <- any(duplicated(time))
    role <- if (tied) "information" else "reference"
    note <- if (tied) "tied times: no engine function to compare" else ""
    add("logrank", id, "chisq", lr$chisq, "survdiff", role, note)
    add("logrank", id, "dof", dof, "survdiff", role, note)
    add("logrank", id, "p", pchisq(lr$chisq, dof, lower.tail = FALSE), "survdiff, pchisq")
  } else if (a$kind == "cox") {
    x <- as.integer(d[[a$group_column]][keep] == a$level)
    fit <- coxph(Surv(time, event) ~ x, ties = "efron")
    s <- summary(fit)
    ci <- exp(confint(fit))
    add("cox", id, "n", fit$n, "coxph")
    add("cox", id, "events", fit$nevent, "coxph")
    add("cox", id, "hr", exp(coef(fit))[["x"]], "coxph(ties = \"efron\")")
    add("cox", id, "ci_low", ci[1, 1], "exp(confint(coxph(ties = \"efron\")))")
    add("cox", id, "ci_high", ci[1, 2], "exp(confint(coxph(ties = \"efron\")))")
    add("cox", id, "wald.p", s$coefficients[1, "Pr(>|z|)"], "summary(coxph)$coefficients")
    add("cox", id, "score.p", s$sctest[["pvalue"]], "summary(coxph)$sctest", "information")
    add("cox", id, "lr.p", s$logtest[["pvalue"]], "summary(coxph)$logtest", "information")
    add("cox", id, "hr.breslow", exp(coef(coxph(Surv(time, event) ~ x, ties = "breslow")))[["x"]],
        "coxph(ties = \"breslow\")", "information")
  }
}

# --- 5. replicates of the survival simulation ------------------------------------------------

sims <- read_input(file.path(inputs, "simulations.csv"))
simulated <- read_input(file.path(inputs, "simulated.csv"))
for (sim in sims$sim) {
  s <- simulated[simulated$sim == sim, ]
  for (rep in unique(s$replicate)) {
    d <- s[s$replicate == rep, ]
    time <- num(d$time)
    event <- num(d$event) == 1
    group <- num(d$group)
    id <- sprintf("%s/rep%s", sim, rep)
    # survival merges times that differ by floating-point noise (timefix, aeqSurv); the engine
    # does not, so the same test is also run with timefix = FALSE: the Cox score test at beta = 0
    # (Breslow) is the log-rank test when no times are tied
    ties <- sum(duplicated(time))
    add("simulated", id, "tied_times", ties, "duplicated", "information", "times equal to an earlier one")
    add("simulated", id, "near_ties", sum(aeqSurv(Surv(time, event))[, 1] != time), "aeqSurv",
        "information", "times survival's timefix moves onto a neighbour")
    role <- if (ties == 0) "reference" else "information"  # with ties the score test is not the log-rank
    lr <- survdiff(Surv(time, event) ~ group)
    dof <- length(lr$n) - 1
    add("simulated", id, "chisq", lr$chisq, "survdiff")
    add("simulated", id, "p", pchisq(lr$chisq, dof, lower.tail = FALSE), "survdiff, pchisq")
    no_fix <- coxph.control(timefix = FALSE)
    score <- summary(coxph(Surv(time, event) ~ factor(group), ties = "breslow", control = no_fix))$sctest
    add("simulated", id, "chisq.no_timefix", score[["test"]],
        "coxph(ties = \"breslow\", timefix = FALSE) score test (= log-rank, no ties)", role)
    add("simulated", id, "p.no_timefix", score[["pvalue"]],
        "coxph(ties = \"breslow\", timefix = FALSE) score test (= log-rank, no ties)", role)
    for (g in sort(unique(group))) {
      tab <- summary(survfit(Surv(time[group == g], event[group == g]) ~ 1))$table
      add("simulated", id, sprintf("median.%d", g), not_reached(tab[["median"]]), "survfit")
    }
    if (length(unique(group)) == 2) {
      x <- as.integer(group == 1)
      add("simulated", id, "hr", exp(coef(coxph(Surv(time, event) ~ x, ties = "breslow")))[["x"]],
          "coxph(ties = \"breslow\"); no ties, so Efron's is the same")
      add("simulated", id, "hr.no_timefix",
          exp(coef(coxph(Surv(time, event) ~ x, ties = "breslow", control = no_fix)))[["x"]],
          "coxph(ties = \"breslow\", timefix = FALSE)")
    }
  }
}

# --- write -----------------------------------------------------------------------------------

ref <- do.call(rbind, out$rows)
ref$value <- ifelse(is.na(ref$value), "", ifelse(is.infinite(ref$value), ifelse(ref$value > 0, "inf", "-inf"),
                                                 sprintf("%.17g", ref$value)))
rel <- function(p) sub(paste0("^", root, "/"), "", normalizePath(p))
md5 <- tools::md5sum(unique(read_files))
target <- file.path(fixture, "reference.csv")
con <- file(target, open = "w", encoding = "UTF-8")
writeLines(sprintf("# %s; survival %s; made by tools/r-reference/reference.R",
                   R.version.string, as.character(packageVersion("survival"))), con)
writeLines(paste0("# md5 of the files read: ", paste(sprintf("%s=%s", rel(names(md5)), md5), collapse = "; ")), con)
write.csv(ref, con, row.names = FALSE, na = "")
close(con)
cat(sprintf("wrote %s: %d rows (%d reference)\n", rel(target), nrow(ref), sum(ref$role == "reference")))
