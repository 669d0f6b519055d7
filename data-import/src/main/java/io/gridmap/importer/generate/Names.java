package io.gridmap.importer.generate;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Plausible Chinese place and personal names. Place names are two characters from a pool of common
 * toponym characters (桥, 溪, 坪, 湾 ...) so they read like real Chongqing names (石桥铺, 龙溪, 杨家坪) without
 * copying real ones.
 */
public final class Names {
  private static final String PLACE_FIRST =
      "龙凤石金银玉青白黄红新老东西南北中上下大小长高双三五九天云雨花桃李杨柏松竹梅兰桂荷清明安宁和平兴福寿永太吉祥丰盛华光";
  private static final String PLACE_SECOND = "桥溪坪湾坝岗山岭沟塘湖河江滩口田林园庄场寺庙门关铺店街台岩洞峰坡垭井堡营";
  private static final String SURNAMES =
      "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛";
  private static final String GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文辉鹏飞婷雪琳晨浩宇欣怡佳俊峰斌凤春梅海波";

  private final Set<String> used = new HashSet<>();

  /** A place name not yet returned by this instance (so unique within one parent). */
  public String uniquePlace(SplittableRandom rng) {
    for (int tries = 0; tries < 10_000; tries++) {
      String n = place(rng);
      if (used.add(n)) {
        return n;
      }
    }
    // 53 × 37 two-character names; beyond that, add a third character
    for (int tries = 0; ; tries++) {
      String n = place(rng) + PLACE_SECOND.charAt(rng.nextInt(PLACE_SECOND.length()));
      if (used.add(n)) {
        return n;
      }
    }
  }

  public static String place(SplittableRandom rng) {
    return ""
        + PLACE_FIRST.charAt(rng.nextInt(PLACE_FIRST.length()))
        + PLACE_SECOND.charAt(rng.nextInt(PLACE_SECOND.length()));
  }

  /** A personal name: a surname and one or two given-name characters. */
  public static String person(SplittableRandom rng) {
    StringBuilder b = new StringBuilder();
    b.append(SURNAMES.charAt(rng.nextInt(SURNAMES.length())));
    b.append(GIVEN.charAt(rng.nextInt(GIVEN.length())));
    if (rng.nextInt(3) > 0) {
      b.append(GIVEN.charAt(rng.nextInt(GIVEN.length())));
    }
    return b.toString();
  }
}
