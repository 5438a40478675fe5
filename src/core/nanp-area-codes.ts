/**
 * Geographic NANP (+1) area codes of the United States and Canada → IANA time zone.
 *
 * Codes are grouped per zone as space-separated strings to keep the table small. An area
 * code that spans two zones maps to the zone of the majority of its population (e.g. 850
 * in the Florida panhandle → Central, 812 in southern Indiana → Eastern, 208 Idaho →
 * Mountain, 867 Yukon/NWT/Nunavut → Mountain). Overlay codes map like the codes they
 * overlay.
 *
 * Not in the table (→ null): non-geographic and special codes (500, 52x/53x/54x/56x/57x/58x
 * personal-communication codes, 600, 622, 700, 710, 800, 833, 844, 855, 866, 877, 888, 900,
 * …) and the other NANP countries (Caribbean, Bermuda), which are resolved by country.
 */
export const NANP_AREA_CODES_BY_ZONE: Readonly<Record<string, string>> = {
  // Eastern: CT DE DC FL GA ME MD MA NH NJ NY NC OH PA RI SC VT VA WV, east KY and TN
  'America/New_York': [
    '203 475 860 959', // CT
    '302', // DE
    '202 771', // DC
    '239 305 786 645 321 352 386 407 689 561 728 727 754 954 772 813 656 863 904 324 941',
    '404 470 678 943 706 762 770 912 229 478', // GA
    '502 859 606', // KY (Eastern part)
    '207', // ME
    '240 301 227 410 443 667', // MD
    '339 351 413 508 617 774 781 857 978', // MA
    '603', // NH
    '201 551 609 640 732 848 856 862 908 973', // NJ
    '212 332 646 917 718 347 929 516 363 518 838 585 607 631 934 680 315 716 624 845 329 914',
    '252 336 743 704 980 828 910 472 919 984', // NC
    '216 220 234 330 380 419 567 440 436 513 283 614 740 937 326', // OH
    '215 267 445 412 878 484 610 835 570 272 717 223 724 814 582', // PA
    '401', // RI
    '803 839 843 854 864 821', // SC
    '423 865', // TN (Eastern part)
    '802', // VT
    '276 434 540 826 571 703 757 948 804 686', // VA
    '304 681', // WV
  ].join(' '),
  'America/Detroit': '231 248 269 313 679 517 586 616 734 810 906 947 989',
  'America/Indiana/Indianapolis': '260 317 463 574 765 812 930',
  // Central
  'America/Chicago': [
    '205 659 251 256 938 334 483', // AL
    '479 501 870 327', // AR
    '850 448', // FL panhandle (majority Central)
    '217 447 224 847 309 861 312 872 618 730 630 331 708 464 773 815 779', // IL
    '219', // IN (northwest)
    '319 515 563 641 712', // IA
    '316 620 785 913', // KS
    '270 364', // KY (western)
    '225 318 457 337 504 985', // LA
    '218 320 507 924 612 651 763 952', // MN
    '228 601 662 769', // MS
    '314 557 417 573 235 636 660 816 975', // MO
    '308 402 531', // NE
    '701', // ND
    '405 572 539 580 918', // OK
    '605', // SD
    '615 629 731 901 931', // TN (Middle and West)
    '210 726 214 469 972 945 254 281 713 832 346 325 361 409 430 903 432 512 737 682 817',
    '806 830 936 940 956 979', // TX (cont.)
    '262 414 608 353 715 534 920 274', // WI
  ].join(' '),
  // Mountain
  'America/Denver': '303 720 983 719 970 748 406 505 575 385 435 801 307 915',
  'America/Boise': '208 986',
  'America/Phoenix': '480 520 602 623 928',
  // Pacific
  'America/Los_Angeles': [
    '209 350 213 323 738 279 310 424 341 510 369 707 408 669 415 628 442 760 530 559 357',
    '562 619 858 626 650 657 714 661 747 818 805 820 831 840 909 916 925 949 951', // CA
    '702 725 775', // NV
    '458 503 541 971', // OR
    '206 253 360 564 425 509', // WA
  ].join(' '),
  'America/Anchorage': '907',
  'Pacific/Honolulu': '808',
  // US territories
  'America/Puerto_Rico': '787 939',
  'America/St_Thomas': '340',
  'Pacific/Guam': '671',
  'Pacific/Saipan': '670',
  'Pacific/Pago_Pago': '684',
  // Canada
  'America/St_Johns': '709 879', // Newfoundland and Labrador
  'America/Halifax': '902 782 506 428', // Nova Scotia, PEI, New Brunswick
  'America/Toronto': [
    '418 581 367 450 579 354 514 438 263 819 873 468', // Quebec
    '416 647 437 942 905 289 365 742 519 226 548 382 613 343 753 705 249 683 807', // Ontario
  ].join(' '),
  'America/Winnipeg': '204 431 584',
  'America/Regina': '306 639 474',
  'America/Edmonton': '403 587 780 825 368 867', // Alberta; 867 = Yukon/NWT/Nunavut
  'America/Vancouver': '604 778 236 250 672 257',
};

let index: Map<string, string> | null = null;

function buildIndex(): Map<string, string> {
  const map = new Map<string, string>();
  for (const [zone, codes] of Object.entries(NANP_AREA_CODES_BY_ZONE)) {
    for (const code of codes.split(' ')) {
      if (code !== '') map.set(code, zone);
    }
  }
  return map;
}

/** The IANA zone of a geographic US/Canadian area code ('212' → 'America/New_York'), or null. */
export function nanpAreaCodeTimeZone(areaCode: string): string | null {
  index ??= buildIndex();
  return index.get(areaCode) ?? null;
}

/** Every area code in the table (for tests and diagnostics). */
export function nanpAreaCodes(): ReadonlyMap<string, string> {
  index ??= buildIndex();
  return index;
}
