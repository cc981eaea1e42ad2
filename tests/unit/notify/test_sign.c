/* SPDX-License-Identifier: MIT */
/* The channels' wire formats against published vectors:
 *  - SHA-1 / HMAC-SHA1: FIPS 180-2 appendix A and RFC 2202 test case 1;
 *  - Aliyun RPC signature v1: the worked SendSms example of Aliyun's SMS document
 *    "HTTP协议及签名" (help.aliyun.com/document_detail/56189: AccessKeySecret testSecret,
 *    signature zJDF+Lrzhj/ThnlvIToysFRq6t4=) and the DescribeRegions example of the RPC
 *    "签名机制" page (testsecret, OLeaidS1JvxuMvnyHOwuJ+uX5qY=);
 *  - Tencent TC3-HMAC-SHA256: the CVM DescribeInstances example of "签名方法 v3"
 *    (cloud.tencent.com/document/api/213/30654). Its SecretKey is redacted in the current
 *    document, so the test checks every published value that does not need it: the
 *    hashed payload, the hashed canonical request, the string to sign, and the chain from
 *    the published SecretDate (da98fb70…) through SecretService and SecretSigning to the
 *    published signature 10b1a37a…;
 *  - DingTalk and webhook signatures: vectors derived step by step with Python's hmac
 *    (shown in the comments), as neither document gives a worked example with a secret. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sodium.h>
#include <string.h>

#include "notify/notify.h"

static struct sh_arena A;

static void sha1_vectors(void **state)
{
    (void)state;
    unsigned char h[20];
    nt_sha1("abc", 3, h);
    assert_string_equal(nt_hex(&A, h, 20), "a9993e364706816aba3e25717850c26c9cd0d89d");
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    nt_sha1(two, strlen(two), h);
    assert_string_equal(nt_hex(&A, h, 20), "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
    unsigned char key[20];
    memset(key, 0x0b, 20);
    nt_hmac_sha1(key, 20, "Hi There", 8, h);
    assert_string_equal(nt_hex(&A, h, 20), "b617318655057264e28bc0b6fb378c8ef146be00");
}

static void aliyun_doc_example(void **state)
{
    (void)state;
    struct nt_param p[] = {
        {"AccessKeyId", "testId"},
        {"Action", "SendSms"},
        {"Format", "XML"},
        {"OutId", "123"},
        {"PhoneNumbers", "15300000001"},
        {"RegionId", "cn-hangzhou"},
        {"SignName", "阿里云短信测试专用"},
        {"SignatureMethod", "HMAC-SHA1"},
        {"SignatureNonce", "45e25e9b-0a6f-4070-8c85-2956eda1b466"},
        {"SignatureVersion", "1.0"},
        {"TemplateCode", "SMS_71390007"},
        {"TemplateParam", "{\"customer\":\"test\"}"},
        {"Timestamp", "2017-07-12T02:42:19Z"},
        {"Version", "2017-05-25"},
    };
    assert_string_equal(nt_aliyun_sign(&A, "GET", p, 14, "testSecret"),
                        "zJDF+Lrzhj/ThnlvIToysFRq6t4=");
    struct nt_param q[] = {
        {"Format", "XML"},
        {"AccessKeyId", "testid"},
        {"Action", "DescribeRegions"},
        {"SignatureMethod", "HMAC-SHA1"},
        {"SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"},
        {"SignatureVersion", "1.0"},
        {"Version", "2014-05-26"},
        {"Timestamp", "2016-02-23T12:46:24Z"},
    };
    assert_string_equal(nt_aliyun_sign(&A, "GET", q, 8, "testsecret"),
                        "OLeaidS1JvxuMvnyHOwuJ+uX5qY=");
}

static void aliyun_request_shape(void **state)
{
    (void)state;
    const char *names[] = {"no"}, *values[] = {"TK-1"};
    struct nt_sms s = {"13900001111", "售后", "SMS_1", names, values, 1, "42"};
    struct nt_aliyun c = {"http://127.0.0.1:9", "id", "sec", ""};
    struct nt_http_req r;
    nt_aliyun_request(&A, &c, &s, "nonce-1", 1764946800, &r);
    assert_string_equal(r.method, "GET");
    assert_non_null(strstr(r.url, "http://127.0.0.1:9/?Signature="));
    assert_non_null(strstr(r.url, "&TemplateParam=%7B%22no%22%3A%22TK-1%22%7D"));
    assert_non_null(strstr(r.url, "&Timestamp=2025-12-05T15%3A00%3A00Z"));
    assert_non_null(strstr(r.url, "&OutId=42&"));
}

static void tencent_doc_example(void **state)
{
    (void)state;
    const char *payload = "{\"Limit\": 1, \"Filters\": [{\"Values\": [\"\\u672a\\u547d\\u540d\"], "
                          "\"Name\": \"instance-name\"}]}";
    assert_string_equal(nt_sha256_hex(&A, payload),
                        "35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064");
    char *cr = nt_tc3_canonical(&A, "cvm.tencentcloudapi.com", "DescribeInstances", payload);
    assert_string_equal(nt_sha256_hex(&A, cr),
                        "7019a55be8395899b900fb5564e4200d984910f34794a27cb3fb7d10ff6a1e84");
    char *sts = nt_tc3_string_to_sign(&A, 1551113065, "cvm", cr);
    assert_string_equal(sts, "TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n"
                             "7019a55be8395899b900fb5564e4200d984910f34794a27cb3fb7d10ff6a1e84");
    unsigned char dk[32];
    assert_int_equal(
        sodium_hex2bin(dk, 32, "da98fb70dcf6b112dc21038d1eeeb3a95c74b4dcb12c1131f864f6066bd02be0",
                       64, NULL, NULL, NULL),
        0);
    assert_string_equal(nt_tc3_sign_from_date_key(&A, dk, "cvm", sts),
                        "10b1a37a7301a02ca19a647ad722d5e43b4b3cff309d421d85b46093f6ab6c4f");
}

static void tencent_request_shape(void **state)
{
    (void)state;
    const char *names[] = {"1", "2"}, *values[] = {"TK-1", "张工"};
    struct nt_sms s = {"13900001111", "售后", "1234", names, values, 2, "42"};
    struct nt_tencent c = {"http://127.0.0.1:9", "AKID", "KEY", "", "1400000000"};
    struct nt_http_req r;
    nt_tencent_request(&A, &c, &s, 1551113065, &r);
    assert_string_equal(r.body,
                        "{\"PhoneNumberSet\":[\"+8613900001111\"],\"SmsSdkAppId\":"
                        "\"1400000000\",\"SignName\":\"售后\",\"TemplateId\":\"1234\","
                        "\"TemplateParamSet\":[\"TK-1\",\"张工\"],\"SessionContext\":\"42\"}");
    assert_non_null(strstr(r.headers[0],
                           "Credential=AKID/2019-02-25/sms/tc3_request, "
                           "SignedHeaders=content-type;host;x-tc-action, Signature="));
    assert_string_equal(r.headers[2], "Host: 127.0.0.1:9");
}

static void mime_words(void **state)
{
    (void)state;
    assert_string_equal(nt_mime_words(&A, "Hello"), "Hello");
    assert_string_equal(nt_mime_words(&A, "售后服务通知"), "=?UTF-8?B?5ZSu5ZCO5pyN5Yqh6YCa55+l?=");
    /* 50 bytes: split in two words at a character boundary (45 is the middle of "已") */
    char *w = nt_mime_words(&A, "售后服务通知：工单 TK-2026-0001 已受理");
    assert_non_null(strstr(w, "?=\r\n =?UTF-8?B?"));
    struct nt_mail m = {"a@x.cn", "b@y.cn", "测试", "第一行\n第二行", "1@shouhou"};
    char *msg = nt_mail_message(&A, &m, 1764946800);
    assert_non_null(strstr(msg, "Date: Fri, 05 Dec 2025 15:00:00 +0000\r\n"));
    assert_non_null(strstr(msg, "Subject: =?UTF-8?B?5rWL6K+V?=\r\n"));
    assert_non_null(strstr(msg, "Content-Type: text/plain; charset=UTF-8\r\n"));
    assert_non_null(strstr(msg, "Message-ID: <1@shouhou>\r\n"));
}

static void robots_and_webhooks(void **state)
{
    (void)state;
    /* python3: hmac.new(b"whsec", b'1764946800.{"id":1}', sha256).hexdigest() */
    assert_string_equal(nt_webhook_sign(&A, "whsec", 1764946800, "{\"id\":1}"),
                        "4a13a66a46c161841c2f6acd76527a76f416478d828dbc750f2f9205139dd623");
    /* quote(b64encode(hmac.new(b"SEC123", b"1764946800000\nSEC123", sha256).digest())) */
    assert_string_equal(nt_dingtalk_sign(&A, 1764946800000, "SEC123"),
                        "4%2B4coeLw15WmTKO7ZFX4x81ApU4Sw9ys8WYz91hBqWM%3D");
    struct nt_http_req r;
    nt_dingtalk_request(&A, "http://h/robot/send?access_token=T", "SEC123", 1764946800000, "你好",
                        &r);
    assert_string_equal(r.url, "http://h/robot/send?access_token=T&timestamp=1764946800000&sign="
                               "4%2B4coeLw15WmTKO7ZFX4x81ApU4Sw9ys8WYz91hBqWM%3D");
    assert_string_equal(r.body, "{\"msgtype\":\"text\",\"text\":{\"content\":\"你好\"}}");
}

static void quiet_hours(void **state)
{
    (void)state;
    int f, t;
    assert_int_equal(nt_quiet_parse("", &f, &t), 1);
    assert_int_equal(nt_quiet_parse("22:00-08:00", &f, &t), 0);
    assert_int_equal(f, 1320);
    assert_int_equal(t, 480);
    assert_int_equal(nt_quiet_wait(f, t, 23 * 60), 9 * 60);
    assert_int_equal(nt_quiet_wait(f, t, 7 * 60 + 30), 30);
    assert_int_equal(nt_quiet_wait(f, t, 8 * 60), 0);
    assert_int_equal(nt_quiet_wait(f, t, 12 * 60), 0);
    assert_int_equal(nt_quiet_parse("12:00-13:30", &f, &t), 0);
    assert_int_equal(nt_quiet_wait(f, t, 12 * 60 + 10), 80);
    assert_int_equal(nt_quiet_parse("25:00-08:00", &f, &t), -1);
    assert_int_equal(nt_quiet_parse("22:00-22:00", &f, &t), -1);
    assert_int_equal(nt_quiet_parse("22:00-08:00x", &f, &t), -1);
    assert_int_equal(nt_quiet_parse("2200-0800", &f, &t), -1);
}

static void templates(void **state)
{
    (void)state;
    const char *vars[] = {"number", "new_arrival", NULL};
    const char *bad;
    size_t n;
    assert_int_equal(nt_template_check("工单 {number} 改为 {new_arrival}", vars, &bad, &n), 0);
    assert_int_equal(nt_template_check("{{字面}} {number}", vars, &bad, &n), 0);
    assert_int_equal(nt_template_check("{arrival}", vars, &bad, &n), -1);
    assert_int_equal((int)n, 7);
    assert_int_equal(strncmp(bad, "arrival", n), 0);
    assert_int_equal(nt_template_check("{number", vars, &bad, &n), -1);
    assert_int_equal((int)n, 0);
    assert_int_equal(nt_template_check("a } b", vars, &bad, &n), -1);
    assert_int_equal(nt_template_check("{}", vars, &bad, &n), -1);
    const char *names[] = {"number", "new_arrival"}, *values[] = {"TK-9", "10:30"};
    assert_string_equal(
        nt_template_render(&A, "工单 {number} 于 {new_arrival} 到 {{x}}", names, values, 2),
        "工单 TK-9 于 10:30 到 {x}");
}

int main(void)
{
    sh_arena_init(&A, 0);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sha1_vectors),
        cmocka_unit_test(aliyun_doc_example),
        cmocka_unit_test(aliyun_request_shape),
        cmocka_unit_test(tencent_doc_example),
        cmocka_unit_test(tencent_request_shape),
        cmocka_unit_test(mime_words),
        cmocka_unit_test(robots_and_webhooks),
        cmocka_unit_test(quiet_hours),
        cmocka_unit_test(templates),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    sh_arena_release(&A);
    return rc;
}
