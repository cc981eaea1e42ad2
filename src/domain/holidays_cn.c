/* SPDX-License-Identifier: MIT */
/* China public holidays and make-up working days (调休上班) as data, one sorted table per year,
 * from the State Council General Office notices (国务院办公厅关于…部分节假日安排的通知).
 * Every day of a holiday block is listed, weekend days included, so that a 6x24 calendar is
 * closed on the block's Saturdays too. A make-up day works with Monday's hours
 * (`as_weekday` 0): the notices say only "上班", and for the usual Monday-Friday office hours
 * every weekday is the same. Companies with other arrangements load their own table. */
#include "domain/calendar.h"

/* clang-format off */
#define H(y, m, d) {{y, m, d}, CAL_EXC_HOLIDAY, 0}
#define W(y, m, d) {{y, m, d}, CAL_EXC_WORKDAY, 0}

/* 2025: 国办发明电〔2024〕12号 (the first year of the 2024 reform: 除夕 and 5月2日 added). */
static const struct cal_exception CN_2025[] = {
    H(2025, 1, 1),  /* 元旦 (Wed), one day, no make-up day */
    W(2025, 1, 26), /* Sun, works for 春节 */
    /* 春节: 1月28日 (除夕, Tue) – 2月4日 (初七, Tue), 8 days */
    H(2025, 1, 28), H(2025, 1, 29), H(2025, 1, 30), H(2025, 1, 31),
    H(2025, 2, 1), H(2025, 2, 2), H(2025, 2, 3), H(2025, 2, 4),
    W(2025, 2, 8),  /* Sat, works for 春节 */
    /* 清明节: 4月4日 (Fri) – 6日 (Sun), 3 days */
    H(2025, 4, 4), H(2025, 4, 5), H(2025, 4, 6),
    W(2025, 4, 27), /* Sun, works for 劳动节 */
    /* 劳动节: 5月1日 (Thu) – 5日 (Mon), 5 days */
    H(2025, 5, 1), H(2025, 5, 2), H(2025, 5, 3), H(2025, 5, 4), H(2025, 5, 5),
    /* 端午节: 5月31日 (Sat) – 6月2日 (Mon), 3 days */
    H(2025, 5, 31), H(2025, 6, 1), H(2025, 6, 2),
    W(2025, 9, 28), /* Sun, works for 国庆节 */
    /* 国庆节、中秋节: 10月1日 (Wed) – 8日 (Wed), 8 days */
    H(2025, 10, 1), H(2025, 10, 2), H(2025, 10, 3), H(2025, 10, 4),
    H(2025, 10, 5), H(2025, 10, 6), H(2025, 10, 7), H(2025, 10, 8),
    W(2025, 10, 11), /* Sat, works for 国庆节 */
};

/* 2026: 国办发明电〔2025〕7号, entered from memory of the published notice, not from the
 * document itself. Confident: 春节 9 days 2月15日–23日 with 2月14日 and 2月28日 (both Sat)
 * worked; 国庆节 10月1日–7日 with 9月20日 (Sun) and 10月10日 (Sat) worked; 中秋节 on its own
 * (9月25日–27日). LESS SURE, verify before production: 元旦 1月1日–3日 with 1月4日 (Sun)
 * worked; 劳动节 make-up day 5月9日 (Sat); 端午节 6月19日–21日 with no make-up day. */
static const struct cal_exception CN_2026[] = {
    /* 元旦: 1月1日 (Thu) – 3日 (Sat), 3 days */
    H(2026, 1, 1), H(2026, 1, 2), H(2026, 1, 3),
    W(2026, 1, 4),  /* Sun, works for 元旦 */
    W(2026, 2, 14), /* Sat, works for 春节 */
    /* 春节: 2月15日 (腊月二十八, Sun) – 23日 (正月初七, Mon), 9 days */
    H(2026, 2, 15), H(2026, 2, 16), H(2026, 2, 17), H(2026, 2, 18), H(2026, 2, 19),
    H(2026, 2, 20), H(2026, 2, 21), H(2026, 2, 22), H(2026, 2, 23),
    W(2026, 2, 28), /* Sat, works for 春节 */
    /* 清明节: 4月4日 (Sat) – 6日 (Mon), 3 days */
    H(2026, 4, 4), H(2026, 4, 5), H(2026, 4, 6),
    /* 劳动节: 5月1日 (Fri) – 5日 (Tue), 5 days */
    H(2026, 5, 1), H(2026, 5, 2), H(2026, 5, 3), H(2026, 5, 4), H(2026, 5, 5),
    W(2026, 5, 9),  /* Sat, works for 劳动节 */
    /* 端午节: 6月19日 (Fri) – 21日 (Sun), 3 days */
    H(2026, 6, 19), H(2026, 6, 20), H(2026, 6, 21),
    W(2026, 9, 20), /* Sun, works for 国庆节 */
    /* 中秋节: 9月25日 (Fri) – 27日 (Sun), 3 days */
    H(2026, 9, 25), H(2026, 9, 26), H(2026, 9, 27),
    /* 国庆节: 10月1日 (Thu) – 7日 (Wed), 7 days */
    H(2026, 10, 1), H(2026, 10, 2), H(2026, 10, 3), H(2026, 10, 4),
    H(2026, 10, 5), H(2026, 10, 6), H(2026, 10, 7),
    W(2026, 10, 10), /* Sat, works for 国庆节 */
};
/* clang-format on */

const struct cal_exception *cal_cn_exceptions(int year, size_t *n)
{
    switch (year) {
    case 2025:
        *n = sizeof(CN_2025) / sizeof(CN_2025[0]);
        return CN_2025;
    case 2026:
        *n = sizeof(CN_2026) / sizeof(CN_2026[0]);
        return CN_2026;
    default:
        *n = 0;
        return NULL;
    }
}
